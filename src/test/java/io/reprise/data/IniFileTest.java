package io.reprise.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IniFileTest {
    @TempDir
    Path tmp;

    @Test
    void valuesAreQuotedAsConfigobjQuotesThem() throws Exception {
        List<String> values = List.of(
                "/plain/path",
                "/with space",
                "/tmp/x#y",
                "a,b",
                " lead",
                "trail ",
                "it's",
                "say \"hi\"",
                "both ' and \"",
                "both ' \" and #",
                "s3://bucket/path",
                "",
                "\ttab",
                "C:\\windows");
        ObjectMapper json = new ObjectMapper();
        String script = """
                import json, sys
                from configobj import ConfigObj
                c = ConfigObj()
                print(json.dumps([c._quote(v) for v in json.load(sys.stdin)]))
                """;
        List<String> expected = json.readValue(
                Tools.python(tmp, script, json.writeValueAsString(values)).ok().out(), new TypeReference<>() {});
        List<String> ours = new ArrayList<>();
        values.forEach(v -> ours.add(IniFile.quote(v, true)));
        assertThat(ours).isEqualTo(expected);
    }

    @Test
    void readsAndRewritesDvcConfigLikeDvc() {
        String text =
                "[Core]\n    remote = store # the default\n    no_scm = True\n[cache]\n    type = hardlink,symlink\n"
                        + "['remote \"store\"']\n    url = \"/tmp/with space/x#y\"\n";
        IniFile ini = IniFile.parse(text, "config").loaded();
        assertThat(ini.get("core", "remote")).isEqualTo("store");
        assertThat(ini.named.get("remote").get("store").get("url")).isEqualTo("/tmp/with space/x#y");
        assertThat(ini.render())
                .isEqualTo("[core]\n    remote = store\n    no_scm = True\n[cache]\n    type = hardlink, symlink\n"
                        + "['remote \"store\"']\n    url = \"/tmp/with space/x#y\"\n");
    }

    @Test
    void newSectionsFollowDvcsSchemaOrderAfterExistingOnes() {
        IniFile ini = IniFile.parse("[cache]\n    type = copy\n", "config").loaded();
        ini.edit("core").put("remote", "r");
        assertThat(ini.render()).isEqualTo("[cache]\n    type = copy\n[core]\n    remote = r\n");
    }
}
