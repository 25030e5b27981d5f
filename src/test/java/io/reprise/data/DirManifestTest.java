package io.reprise.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirManifestTest {
    @TempDir
    Path tmp;

    @Test
    void sortsByCodePointNotUtf16() {
        // U+FF5A sorts before U+1F600 by code point; in UTF-16 units the emoji's surrogate D83D comes first.
        DirManifest m = new DirManifest(List.of(entry("😀"), entry("ｚ"), entry("Z"), entry("a/b"), entry("a b")));
        assertThat(m.entries()).extracting(DirManifest.Entry::relpath).containsExactly("Z", "a b", "a/b", "ｚ", "😀");
    }

    @Test
    void emptyFolderHasDvcsEmptyManifestHash() {
        DirManifest empty = new DirManifest(List.of());
        assertThat(new String(empty.toJson(), StandardCharsets.US_ASCII)).isEqualTo("[]");
        assertThat(empty.oid()).isEqualTo("d751713988987e9331980363e24189ce.dir"); // as dvc add wrote it
    }

    @Test
    void bytesMatchPythonJsonDumpsWithSortedKeys() throws Exception {
        List<String> names = List.of(
                "plain",
                "with space",
                "quote\"d",
                "back\\slash",
                "tab\there",
                "new\nline",
                "é",
                "😀",
                "\u007f",
                "\u2028",
                "\u0001",
                "ｚ",
                "[x]*?#!",
                "a/b/c");
        List<DirManifest.Entry> entries = new ArrayList<>();
        for (String n : names) {
            entries.add(new DirManifest.Entry(n, Md5.of(n.getBytes(StandardCharsets.UTF_8))));
        }
        DirManifest m = new DirManifest(entries);
        ObjectMapper json = new ObjectMapper();
        String script = """
                import json, sys
                from dvc_data.hashfile.tree import Tree
                from dvc_data.hashfile.hash_info import HashInfo
                from dvc_data.hashfile.meta import Meta
                t = Tree()
                for e in json.load(sys.stdin):
                    t.add(tuple(e["relpath"].split("/")), Meta(), HashInfo("md5", e["md5"]))
                t.digest()
                sys.stdout.write(json.dumps({"bytes": t.as_bytes().decode("ascii"), "oid": t.hash_info.value}))
                """;
        String out = Tools.python(tmp, script, json.writeValueAsString(m.entries()))
                .ok()
                .out();
        Map<?, ?> dvc = json.readValue(out, Map.class);
        assertThat(new String(m.toJson(), StandardCharsets.US_ASCII)).isEqualTo(dvc.get("bytes"));
        assertThat(m.oid()).isEqualTo(dvc.get("oid"));
    }

    @Test
    void rejectsManifestsThatWouldWriteOutsideTheFolder() {
        for (String bad :
                List.of("../escape", "/abs", "a/../../b", "a//b", "./x", "", "a/", "a/.", "a/..", "..", "x\\u0000y")) {
            byte[] json = ("[{\"md5\": \"d41d8cd98f00b204e9800998ecf8427e\", \"relpath\": \"" + bad + "\"}]")
                    .getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> DirManifest.parse(json, "x.dir"))
                    .as(bad)
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("invalid entry");
        }
    }

    @Test
    void rejectsEntriesWhoseMd5IsNotAFileOid() {
        for (String bad : List.of(
                "D41D8CD98F00B204E9800998ECF8427E",
                "d41d8cd98f00b204e9800998ecf8427",
                "d41d8cd98f00b204e9800998ecf8427e0",
                "d41d8cd98f00b204e9800998ecf8427g",
                "d41d8cd98f00b204e9800998ecf8427e.dir",
                "d41d8cd98f00b204e9800998ecf8427e.txt")) {
            byte[] json = ("[{\"md5\": \"" + bad + "\", \"relpath\": \"a\"}]").getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> DirManifest.parse(json, "x.dir"))
                    .as(bad)
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("invalid entry");
        }
        assertThat(Oids.isValid("d41d8cd98f00b204e9800998ecf8427e.dir")).isTrue();
        assertThat(Oids.isValid("d41d8cd98f00b204e9800998ecf8427e")).isTrue();
    }

    @Test
    void parsingTheSameBytesAgainGivesTheSameManifestAndOtherBytesAreStillChecked() {
        DirManifest m = new DirManifest(List.of(entry("b"), entry("a/c")));
        byte[] json = m.toJson();
        assertThat(DirManifest.parse(json, "x")).isEqualTo(m);
        assertThat(DirManifest.parse(json.clone(), "x")).isEqualTo(m);
        byte[] tampered = new String(json, StandardCharsets.US_ASCII)
                .replace("\"b\"", "\"../b\"")
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> DirManifest.parse(tampered, "x"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("invalid entry");
    }

    @Test
    void readsManifestsInDvcsFormAndInAnyOtherValidJsonAlike() {
        String md5 = entry("x").md5();
        String other = entry("y").md5();
        DirManifest expected =
                new DirManifest(List.of(new DirManifest.Entry("a b/c", md5), new DirManifest.Entry("é", other)));
        for (String json : List.of(
                "[{\"md5\": \"" + md5 + "\", \"relpath\": \"a b/c\"}, {\"md5\": \"" + other
                        + "\", \"relpath\": \"\\u00e9\"}]",
                "[{\"md5\":\"" + md5 + "\",\"relpath\":\"a b/c\"},{\"relpath\":\"é\",\"md5\":\"" + other + "\"}]",
                " [ {\"md5\": \"" + md5 + "\", \"relpath\": \"a b\\/c\", \"extra\": [1]}, {\"md5\": \"" + other
                        + "\", \"relpath\": \"é\"} ] ")) {
            assertThat(DirManifest.parse(json.getBytes(StandardCharsets.UTF_8), "x"))
                    .as(json)
                    .isEqualTo(expected);
        }
        assertThat(DirManifest.parse("[]".getBytes(StandardCharsets.US_ASCII), "x")
                        .entries())
                .isEmpty();
        for (String bad : List.of(
                "[{\"md5\": \"" + md5 + "\", \"relpath\": \"a\"}",
                "[{\"md5\": \"" + md5 + "\", \"relpath\": \"a",
                "[{\"md5\": \"" + md5.substring(0, 31) + "\", \"relpath\": \"a\"}]",
                "[{\"md5\": \"" + md5 + "\"}]")) {
            assertThatThrownBy(() -> DirManifest.parse(bad.getBytes(StandardCharsets.US_ASCII), "x.dir"))
                    .as(bad)
                    .isInstanceOf(DataException.class);
        }
    }

    @Test
    void parseSortsEntriesWrittenOutOfOrder() {
        String json = "[{\"md5\": \"" + entry("b").md5() + "\", \"relpath\": \"b\"}, {\"md5\": \""
                + entry("a").md5() + "\", \"relpath\": \"a\"}]";
        assertThat(DirManifest.parse(json.getBytes(StandardCharsets.US_ASCII), "x")
                        .entries())
                .extracting(DirManifest.Entry::relpath)
                .containsExactly("a", "b");
    }

    @Test
    void parseReadsWhatToJsonWrites() {
        DirManifest m = new DirManifest(List.of(entry("é/😀 x"), entry("b")));
        assertThat(DirManifest.parse(m.toJson(), "x")).isEqualTo(m);
    }

    private static DirManifest.Entry entry(String relpath) {
        return new DirManifest.Entry(relpath, Md5.of(relpath.getBytes(StandardCharsets.UTF_8)));
    }
}
