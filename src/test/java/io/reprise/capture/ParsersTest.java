package io.reprise.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParsersTest {

    @Test
    void gitStatusYieldsHeadBranchChangedAndUntrackedPathsWithSpaces() {
        String out = String.join(
                "\0",
                "# branch.oid 1234567890abcdef1234567890abcdef12345678",
                "# branch.head feature/x",
                "1 .M N... 100644 100644 100644 aaa bbb src/my file.py",
                "2 R. N... 100644 100644 100644 aaa bbb R100 new name.py",
                "old name.py",
                "u UU N... 100644 100644 100644 100644 a b c conflict.txt",
                "? notes with space.md",
                "");

        GitStatus s = GitStatus.parse(out);

        assertThat(s.commit()).isEqualTo("1234567890abcdef1234567890abcdef12345678");
        assertThat(s.branch()).isEqualTo("feature/x");
        assertThat(s.changed()).containsExactly("src/my file.py", "new name.py", "conflict.txt");
        assertThat(s.untracked()).containsExactly("notes with space.md");
    }

    @Test
    void gitStatusOfDetachedHeadAndUnbornBranch() {
        assertThat(GitStatus.parse("# branch.oid abc\0# branch.head (detached)\0")
                        .branch())
                .isNull();
        assertThat(GitStatus.parse("# branch.oid (initial)\0# branch.head main\0")
                        .commit())
                .isNull();
    }

    @Test
    void remoteUrlPrefersOriginAndDropsCredentials() {
        String config = "remote.upstream.url git@github.com:up/x.git\n"
                + "remote.origin.url https://bob:tok3n@gitlab.com/team/x.git\n";
        assertThat(GitProbe.remoteUrl(config)).isEqualTo("https://gitlab.com/team/x.git");
        assertThat(GitProbe.remoteUrl("remote.upstream.url git@github.com:up/x.git\n"))
                .isEqualTo("git@github.com:up/x.git");
        assertThat(GitProbe.remoteUrl("")).isNull();
        assertThat(GitProbe.withoutCredentials("http://u:p@127.0.0.1:5000")).isEqualTo("http://127.0.0.1:5000");
    }

    @Test
    void dvcFilesResolveOutputPathsAgainstTheirDirectoryAndKeepFirstSeen() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("data/images.dvc", "outs:\n- md5: aaaa.dir\n  size: 5\n  nfiles: 2\n  path: images\n");
        files.put("pipelines/dvc.lock", "stages:\n  train:\n    outs:\n    - path: ../models/m.pkl\n      md5: bbbb\n");
        files.put("broken.dvc", "outs: [unclosed");
        List<String> warnings = new ArrayList<>();

        List<DataInput> inputs = DvcFiles.parse(files, warnings);

        assertThat(inputs)
                .containsExactly(
                        new DataInput("data/images", "aaaa.dir", 5, 2, "data/images.dvc"),
                        new DataInput("models/m.pkl", "bbbb", -1, -1, "pipelines/dvc.lock:train"));
        assertThat(warnings).singleElement().asString().startsWith("cannot read broken.dvc");
        assertThat(inputs.get(0).profileJson()).isEqualTo("{\"size\": 5, \"nfiles\": 2}");
    }

    @Test
    void dataVersionIsTheSameForTheSameDataInAnyOrder() {
        DataInput a = new DataInput("a", "1111", 1, -1, "a.dvc");
        DataInput b = new DataInput("b", "2222", 1, -1, "b.dvc");
        String ab = DvcFiles.summary(List.of(a, b)).substring(0, 12);
        assertThat(DvcFiles.summary(List.of(b, a))).startsWith(ab);
        assertThat(DvcFiles.summary(List.of(a, new DataInput("b", "3333", 1, -1, "b.dvc"))))
                .doesNotStartWith(ab);
    }

    @Test
    void environmentAllowlistIsExactNamesOnly() {
        Map<String, String> env = Map.of(
                "OMP_NUM_THREADS", "4",
                "CUDA_VISIBLE_DEVICES", "0,1",
                "AWS_SECRET_ACCESS_KEY", "s",
                "MLFLOW_TRACKING_PASSWORD", "p",
                "OMP_NUM_THREADS_SECRET", "x",
                "HOME", "/root");
        assertThat(EnvAllowlist.select(env))
                .containsExactly(Map.entry("CUDA_VISIBLE_DEVICES", "0,1"), Map.entry("OMP_NUM_THREADS", "4"));
    }

    @Test
    void commandLineIsQuotedForAShell() {
        assertThat(CommandLine.quote(List.of("python", "train.py", "--name", "it's a run", "a*b")))
                .isEqualTo("python train.py --name 'it'\\''s a run' 'a*b'");
    }

    @Test
    void sourceNameIsThePythonScriptWhenThereIsOne() {
        assertThat(Tags.sourceName(List.of("python", "-u", "src/train.py", "x.py")))
                .isEqualTo("src/train.py");
        assertThat(Tags.sourceName(List.of("make", "train"))).isEqualTo("make");
    }
}
