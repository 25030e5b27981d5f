package io.reprise.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our YAML output against ruamel.yaml's, as DVC configures it, on the strings that decide quoting and folding. */
class YamlEmitterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    // DVC's own dumper (dvc.utils.serialize._yaml), fed plain dicts as Stage.dumpd builds them.
    private static final String DUMP_PY = """
            import json, sys
            from dvc.utils.serialize._yaml import dumps_yaml, parse_yaml_for_update
            req = json.load(sys.stdin)
            out = [dumps_yaml(d) for d in req["docs"]]
            rt = [dumps_yaml(parse_yaml_for_update(t, "x")) for t in req["texts"]]
            print(json.dumps({"docs": out, "texts": rt}))
            """;

    @TempDir
    Path tmp;

    @Test
    void quotingAndFoldingMatchRuamelForTrickyAndRandomStrings() throws Exception {
        List<String> strings = new ArrayList<>(List.of(
                "a.txt",
                "my file.txt",
                "é.txt",
                "😀.csv",
                "#x",
                "a#b",
                "a #b",
                "a: b",
                "a:b",
                "yes",
                "no",
                "on",
                "true",
                "True",
                "null",
                "~",
                "",
                "123",
                "1.5",
                "1e3",
                "0x1F",
                "0o7",
                ".inf",
                "-a",
                "- a",
                "'q",
                "q'",
                "\"dq",
                "a\"b",
                "@x",
                "`x",
                "%x",
                "!x",
                "&x",
                "*x",
                "|x",
                ">x",
                "{x",
                "[x",
                "x]",
                "x,y",
                "?x",
                "? x",
                "a\tb",
                " lead",
                "trail ",
                "x".repeat(90),
                "word ".repeat(20),
                "a".repeat(70) + " " + "b".repeat(20),
                "\u007f",
                "\u0085x",
                "\ufeffx",
                "=",
                "<<",
                "2001-12-14",
                "2001-12-14 21:59:43.10 -5",
                "12:30",
                "data/sub dir/é",
                "\u2028",
                "😀".repeat(40),
                "café ".repeat(20),
                "x\\y",
                "line\nbreak",
                "two\n\nlines",
                "it's a \"mix\"",
                "---",
                "...",
                "a  b",
                "ends with colon:",
                "-",
                "?",
                ":",
                "d41d8cd98f00b204e9800998ecf8427e",
                "12345678901234567890123456789012",
                "1234e567",
                "0001",
                "+1",
                "1_000",
                "-.5",
                ".5",
                "0b101",
                "a very long file name with spaces that goes on and on well past the eighty column mark.txt",
                "\"quoted words that are long enough to need folding across the eighty column line limit\" and 'more'",
                "x".repeat(75) + " " + "y".repeat(10) + " '" + "z".repeat(10)));
        Random random = new Random(20261123);
        String pool = "ab cZ09:#-?'\"\\\t\n,[]{}&*!|>%@`~.é😀\u2028\u0085\ufeff\u00a0\u0007_=<";
        int[] cps = pool.codePoints().toArray();
        for (int i = 0; i < 400; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(i % 4 == 0 ? 140 : 25);
            for (int j = 0; j < len; j++) {
                sb.appendCodePoint(random.nextInt(3) == 0 ? cps[random.nextInt(cps.length)] : 'a' + random.nextInt(26));
            }
            strings.add(sb.toString());
        }
        List<Map<String, Object>> docs = new ArrayList<>();
        List<YNode> ours = new ArrayList<>();
        for (String s : strings) {
            docs.add(dvcDocument(s));
            ours.add(dvcDocumentNode(s));
        }
        List<String> texts = roundTripCorpus();
        Map<String, List<String>> expected = ruamel(docs, texts);
        for (int i = 0; i < strings.size(); i++) {
            assertThat(YamlEmitter.dump(ours.get(i)))
                    .as("document for %s", JSON.writeValueAsString(strings.get(i)))
                    .isEqualTo(expected.get("docs").get(i));
        }
        for (int i = 0; i < texts.size(); i++) {
            assertThat(YamlEmitter.dump(YamlReader.read(texts.get(i), "t")))
                    .as("round trip of %s", texts.get(i))
                    .isEqualTo(expected.get("texts").get(i));
        }
    }

    // The shape of a .dvc file, with the string as path, desc and a nested meta value.
    private static Map<String, Object> dvcDocument(String s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("md5", "d41d8cd98f00b204e9800998ecf8427e");
        out.put("size", 0);
        out.put("hash", "md5");
        out.put("path", s);
        out.put("meta", Map.of("note", s));
        out.put("labels", List.of(s, "x"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("desc", s);
        doc.put("outs", List.of(out));
        return doc;
    }

    private static YNode dvcDocumentNode(String s) {
        YNode.Map out = new YNode.Map()
                .put("md5", YNode.Scalar.str("d41d8cd98f00b204e9800998ecf8427e"))
                .put("size", YNode.Scalar.integer(0))
                .put("hash", YNode.Scalar.str("md5"))
                .put("path", YNode.Scalar.str(s))
                .put("meta", new YNode.Map().put("note", YNode.Scalar.str(s)))
                .put("labels", new YNode.Seq(List.of(YNode.Scalar.str(s), YNode.Scalar.str("x")), false));
        return new YNode.Map().put("desc", YNode.Scalar.str(s)).put("outs", new YNode.Seq(List.of(out), false));
    }

    private static List<String> roundTripCorpus() {
        return List.of(
                "outs:\n- md5: abc\n  size: 6\n  hash: md5\n  path: a.txt\n",
                "desc: 'quoted'\nouts:\n- path: \"dq\"\n  md5: 'x'\n  size: 1\n  isexec: True\n",
                "outs:\n  - md5: indented\n    path: x\nmeta:\n  tags: [a, b, 'c d']\n  empty: []\n  none: {}\n",
                "meta: {owner: team, n: 3}\nouts:\n- path: x\n  labels: [one, two]\n  nested:\n  - - deep\n",
                "frozen: true\nmd5: 1234\nwdir: ..\nouts:\n- path: ../x\n  cache: false\n  remote: myremote\n",
                "outs:\n- path: x\n  desc: null\n  type: ~\n  size: 0x10\n");
    }

    private Map<String, List<String>> ruamel(List<Map<String, Object>> docs, List<String> texts) throws Exception {
        String input = JSON.writeValueAsString(Map.of("docs", docs, "texts", texts));
        Tools.Result r = Tools.python(tmp, DUMP_PY, input).ok();
        return JSON.readValue(r.out(), new TypeReference<>() {});
    }
}
