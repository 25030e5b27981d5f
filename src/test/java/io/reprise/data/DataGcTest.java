package io.reprise.data;

import static io.reprise.data.Tools.dvc;
import static io.reprise.data.Tools.git;
import static io.reprise.data.Tools.reprise;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reprise data gc} removes what {@code dvc gc} removes, and dvc still works afterwards. */
class DataGcTest {
    private static final String UP_TO_DATE = "Data and pipelines are up to date.";

    @TempDir
    Path tmp;

    /**
     * Three versions of data/ and plain.csv: v1 committed and tagged, v2 committed on main, v3 only in
     * the workspace; v1 and v2 pushed to the remote.
     */
    private Path history(String name) {
        Path dir = tmp.resolve(name);
        Fixtures.mkdirs(dir);
        git(dir, "init", "-q", "-b", "main").ok();
        dvc(dir, "init", "-q").ok();
        dvc(dir, "remote", "add", "-d", "store", tmp.resolve(name + "-remote").toString())
                .ok();
        Fixtures.create(dir);
        for (String v : List.of("v1", "v2", "v3")) {
            Fixtures.write(dir.resolve("data/a.csv"), "a " + v + "\n");
            Fixtures.write(dir.resolve("data/" + v + ".txt"), "only in " + v + "\n");
            Fixtures.write(dir.resolve("plain.csv"), "plain " + v + "\n");
            dvc(dir, "add", "data", "plain.csv").ok();
            if (!v.equals("v3")) {
                dvc(dir, "push").ok();
                git(dir, "add", "-A").ok();
                git(dir, "commit", "-qm", v).ok();
            }
            if (v.equals("v1")) {
                git(dir, "tag", "v1").ok();
            }
        }
        return dir;
    }

    private void sameAsDvc(List<String> args, boolean cloud) throws IOException {
        Path byDvc = history("dvc");
        Path byReprise = history("reprise");
        // Same content in both: the caches (content-addressed) start equal.
        assertThat(Fixtures.contents(byReprise.resolve(".dvc/cache")).keySet())
                .isEqualTo(Fixtures.contents(byDvc.resolve(".dvc/cache")).keySet());
        String[] argv = withGc(args);
        dvc(byDvc, argv).ok();
        Tools.Result r = reprise(byReprise, argv).ok();
        assertThat(r.err()).contains("WARNING: This will remove all cache except items used in the workspace");
        assertThat(r.out()).containsPattern("Removed \\d+ objects from repo cache.");

        Map<String, String> kept = Fixtures.contents(byReprise.resolve(".dvc/cache"));
        assertThat(kept.keySet())
                .isEqualTo(Fixtures.contents(byDvc.resolve(".dvc/cache")).keySet());
        if (cloud) {
            assertThat(Fixtures.contents(tmp.resolve("reprise-remote")).keySet())
                    .isEqualTo(Fixtures.contents(tmp.resolve("dvc-remote")).keySet());
        }
        // What is left serves the workspace: dvc sees it clean and checks it out from the cache.
        assertThat(dvc(byReprise, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        DvcInteropTest.deleteTree(byReprise.resolve("data"));
        dvc(byReprise, "checkout").ok();
        assertThat(Fixtures.read(byReprise.resolve("data/v3.txt"))).isEqualTo("only in v3\n");
    }

    private static String[] withGc(List<String> args) {
        List<String> all = new java.util.ArrayList<>(List.of("gc"));
        all.addAll(args);
        return all.toArray(String[]::new);
    }

    @Test
    void workspaceScopeRemovesWhatDvcRemoves() throws IOException {
        sameAsDvc(List.of("-w", "-f"), false);
    }

    @Test
    void revisionScopesKeepWhatDvcKeeps() throws IOException {
        sameAsDvc(List.of("--rev", "HEAD~1", "-f"), false);
    }

    @Test
    void allCommitsKeepsEveryCommittedVersion() throws IOException {
        Path repo = history("repo");
        Map<String, String> before = Fixtures.contents(repo.resolve(".dvc/cache"));
        reprise(repo, "gc", "-A", "-f").ok();
        Map<String, String> after = Fixtures.contents(repo.resolve(".dvc/cache"));
        // Everything was committed or is in the workspace: nothing to remove.
        assertThat(after).isEqualTo(before);
        // Tags only: v2 goes, v1 (tagged) and v3 (workspace) stay; dvc can still check out v1.
        reprise(repo, "gc", "-T", "-f").ok();
        git(repo, "checkout", "-q", "v1", "--", "data.dvc", "plain.csv.dvc").ok();
        dvc(repo, "checkout", "-f").ok();
        assertThat(Fixtures.read(repo.resolve("data/v1.txt"))).isEqualTo("only in v1\n");
        assertThat(Fixtures.read(repo.resolve("plain.csv"))).isEqualTo("plain v1\n");
        assertThat(dvc(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
    }

    @Test
    void cloudRemovesFromTheRemoteWhatDvcRemoves() throws IOException {
        sameAsDvc(List.of("-w", "-c", "-f"), true);
    }

    @Test
    void dryRunListsAndKeepsEverything() {
        Path repo = history("repo");
        Map<String, String> before = Fixtures.contents(repo.resolve(".dvc/cache"));
        Tools.Result r = reprise(repo, "gc", "-w", "--dry").ok();
        assertThat(r.out()).contains("Removing " + repo.resolve(".dvc/cache/files/md5"));
        assertThat(Fixtures.contents(repo.resolve(".dvc/cache"))).isEqualTo(before);
    }

    @Test
    void asksFirstAndNeedsAScope() {
        Path repo = history("repo");
        Map<String, String> before = Fixtures.contents(repo.resolve(".dvc/cache"));
        Tools.Result none = reprise(repo, "gc");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err().strip())
                .startsWith("reprise data gc: Either of `-w|--workspace`")
                .doesNotContain("\n");
        Tools.Result remoteOnly = reprise(repo, "gc", "-w", "-r", "store");
        assertThat(remoteOnly.exitCode()).isEqualTo(2);
        assertThat(remoteOnly.err()).contains("`--remote` requires `--cloud`");

        Tools.Result no = withStdin("n\n", () -> reprise(repo, "gc", "-w"));
        assertThat(no.exitCode()).isEqualTo(1);
        assertThat(no.err()).contains("Are you sure you want to proceed? [y/n]");
        assertThat(Fixtures.contents(repo.resolve(".dvc/cache"))).isEqualTo(before);

        withStdin("y\n", () -> reprise(repo, "gc", "-w")).ok();
        assertThat(Fixtures.contents(repo.resolve(".dvc/cache")).size()).isLessThan(before.size());
    }

    @Test
    void keepsNewerOutputsOfStagesInDvcLock() throws IOException {
        Path repo = tmp.resolve("pipeline");
        Fixtures.mkdirs(repo);
        git(repo, "init", "-q").ok();
        dvc(repo, "init", "-q").ok();
        Fixtures.write(repo.resolve("in.txt"), "input\n");
        dvc(
                        repo,
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
                        "cp in.txt out.txt && mkdir -p outdir && cp in.txt outdir/copy")
                .ok();
        dvc(repo, "repro", "-q").ok();
        Fixtures.write(repo.resolve("in.txt"), "input 2\n");
        dvc(repo, "repro", "-q").ok();
        reprise(repo, "gc", "-w", "-f").ok();
        assertThat(dvc(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        DvcInteropTest.deleteTree(repo.resolve("outdir"));
        dvc(repo, "checkout").ok();
        assertThat(Fixtures.read(repo.resolve("outdir/copy"))).isEqualTo("input 2\n");
        // the first run's outputs are gone
        assertThat(Fixtures.contents(repo.resolve(".dvc/cache")).values()).doesNotContain("input\n");
    }

    private static Tools.Result withStdin(String input, java.util.function.Supplier<Tools.Result> body) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return body.get();
        } finally {
            System.setIn(saved);
        }
    }
}
