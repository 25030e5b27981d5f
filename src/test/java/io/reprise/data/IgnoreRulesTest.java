package io.reprise.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgnoreRulesTest {
    @TempDir
    Path root;

    private IgnoreRules rules(String dvcignore) throws Exception {
        Files.writeString(root.resolve(".dvcignore"), dvcignore);
        return IgnoreRules.defaults().with(root, "");
    }

    @Test
    void defaultsIgnoreVcsAndDvcFoldersAnywhere() {
        IgnoreRules r = IgnoreRules.defaults();
        assertThat(r.ignored(".git", true)).isTrue();
        assertThat(r.ignored("data/.git", false)).isTrue();
        assertThat(r.ignored("data/.dvc", true)).isTrue();
        assertThat(r.ignored("data/.dvc", false)).isFalse();
        assertThat(r.ignored("data/x", false)).isFalse();
    }

    @Test
    void gitignoreSyntax() throws Exception {
        IgnoreRules r = rules("# comment\n*.tmp\n!keep.tmp\n/rooted\nlogs/\ndata/**/cache\n\\#literal\n[ab].bin\n");
        assertThat(r.ignored("x.tmp", false)).isTrue();
        assertThat(r.ignored("deep/in/x.tmp", false)).isTrue();
        assertThat(r.ignored("keep.tmp", false)).isFalse();
        assertThat(r.ignored("rooted", false)).isTrue();
        assertThat(r.ignored("sub/rooted", false)).isFalse();
        assertThat(r.ignored("logs", true)).isTrue();
        assertThat(r.ignored("logs", false)).isFalse();
        assertThat(r.ignored("data/a/b/cache", true)).isTrue();
        assertThat(r.ignored("data/cache", true)).isTrue();
        assertThat(r.ignored("#literal", false)).isTrue();
        assertThat(r.ignored("a.bin", false)).isTrue();
        assertThat(r.ignored("c.bin", false)).isFalse();
        assertThat(r.ignoredWithParents("logs/today/x", false)).isTrue();
    }

    @Test
    void rulesInASubfolderApplyBelowIt() throws Exception {
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/.dvcignore"), "*.csv\n");
        IgnoreRules r = IgnoreRules.defaults().with(root, "").with(root.resolve("sub"), "sub");
        assertThat(r.ignored("sub/a.csv", false)).isTrue();
        assertThat(r.ignored("sub/deep/a.csv", false)).isTrue();
        assertThat(r.ignored("a.csv", false)).isFalse();
    }
}
