package io.reprise.data;

import static io.reprise.data.Tools.dvc;
import static io.reprise.data.Tools.git;
import static io.reprise.data.Tools.reprise;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs of pipeline stages, recorded by the real {@code dvc repro} in dvc.lock, read by reprise. */
class PipelineLockTest {
    private static final String UP_TO_DATE = "Data and pipelines are up to date.";

    @TempDir
    Path tmp;

    private Path pipeline() {
        Path dir = tmp.resolve("origin");
        Fixtures.mkdirs(dir.resolve("sub"));
        git(dir, "init", "-q").ok();
        dvc(dir, "init", "-q").ok();
        dvc(dir, "remote", "add", "-d", "store", tmp.resolve("remote").toString())
                .ok();
        Fixtures.write(dir.resolve("in.txt"), "input\n");
        dvc(
                        dir,
                        "stage",
                        "add",
                        "-q",
                        "-n",
                        "make",
                        "-d",
                        "in.txt",
                        "-o",
                        "out.txt",
                        "-o",
                        "outdir",
                        "-M",
                        "metrics.json",
                        "cp in.txt out.txt && mkdir -p outdir/deep && cp in.txt outdir/deep/copy"
                                + " && echo '{\"m\": 1}' > metrics.json")
                .ok();
        // a stage in a subfolder whose wdir is the parent: its paths are relative to the wdir
        dvc(
                        dir.resolve("sub"),
                        "stage",
                        "add",
                        "-q",
                        "-n",
                        "up",
                        "--wdir",
                        "..",
                        "-d",
                        "in.txt",
                        "-o",
                        "sub/up.txt",
                        "cp in.txt sub/up.txt")
                .ok();
        dvc(dir, "repro", "-q", "-P").ok();
        git(dir, "add", "-A").ok();
        git(dir, "commit", "-qm", "pipeline").ok();
        return dir;
    }

    @Test
    void statusPushPullAndCheckoutUseDvcLockOutputs() throws Exception {
        Path origin = pipeline();
        assertThat(Fixtures.read(origin.resolve("dvc.lock"))).contains("schema: '2.0'");
        assertThat(reprise(origin, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        Map<String, String> expected = Fixtures.snapshot(origin);

        Fixtures.write(origin.resolve("out.txt"), "changed\n");
        Fixtures.write(origin.resolve("sub/up.txt"), "changed\n");
        assertThat(reprise(origin, "status").ok().out())
                .isEqualTo(dvc(origin, "status").ok().out());
        assertThat(reprise(origin, "status").ok().out()).contains("make:").contains("sub/dvc.yaml:up:");
        assertThat(reprise(origin, "diff", "--json").ok().out())
                .isEqualTo(dvc(origin, "diff", "--json").ok().out());
        Tools.Result commit = reprise(origin, "commit", "out.txt");
        assertThat(commit.exitCode()).isEqualTo(2);
        assertThat(commit.err()).contains("commit them with 'dvc commit'");

        reprise(origin, "checkout", "--force").ok();
        assertThat(Fixtures.snapshot(origin)).isEqualTo(expected);
        assertThat(reprise(origin, "push").ok().out()).contains("files pushed");
        assertThat(dvc(origin, "status", "-c").ok().out().strip()).isEqualTo("Cache and remote 'store' are in sync.");

        Path clone = tmp.resolve("clone");
        git(tmp, "clone", "-q", origin.toString(), clone.toString()).ok();
        reprise(clone, "pull").ok();
        assertThat(Fixtures.snapshot(clone)).isEqualTo(expected);
        assertThat(dvc(clone, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
    }
}
