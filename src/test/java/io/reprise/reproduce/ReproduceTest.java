package io.reprise.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.testing.GitRepo;
import io.reprise.testing.RepriseCli;
import io.reprise.testing.ServerRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code reprise reproduce} end to end: a real server, real git repositories and clones, data tracked
 * with {@code reprise data}, and a Python training project logging with the real mlflow client. One
 * original run is recorded once and reproduced by each test from its own clone.
 */
class ReproduceTest extends EndToEnd {
    TrainingProject project;
    String original;

    @BeforeAll
    void recordOneRun() throws IOException {
        project = TrainingProject.create(tmp, cli);
        RepriseCli.Result r = TrainingProject.ok(cli.in(project.author)
                .run(
                        "run",
                        "--experiment",
                        "demo",
                        "--seed",
                        "7",
                        "--",
                        TrainingProject.python().toString(),
                        "train.py"));
        original = r.runId();
    }

    @Test
    void reproducedFromASecondCloneAndRecordedOnTheOriginal() throws IOException {
        int before = Verdicts.count(ServerRuns.get(server, original).tags());
        Path clone = project.cloneAs("second-clone");

        RepriseCli.Result r = cli.in(clone).run("reproduce", original);

        assertThat(r.exitCode()).as(r.all()).isZero();
        ServerRuns.RecordedRun orig = ServerRuns.get(server, original);
        String[] lines = r.stdout().strip().lines().toArray(String[]::new);
        String accuracy = Comparison.number(orig.metrics().get("accuracy"));
        assertThat(lines[lines.length - 3]).isEqualTo("original: accuracy = " + accuracy);
        assertThat(lines[lines.length - 2]).isEqualTo("reproduction: accuracy = " + accuracy);
        assertThat(lines[lines.length - 1]).isEqualTo("REPRODUCED");
        assertThat(r.stdout()).containsPattern("model.txt +sha256:\\w{12} +sha256:\\w{12} +same");
        assertThat(r.stderr())
                .contains("checkout: commit " + orig.tags().get("mlflow.source.git.commit")
                        + " from the local repository " + clone.toRealPath())
                .contains("data: restored data/train.csv");

        String n = String.valueOf(before + 1);
        ServerRuns.RecordedRun repro = ServerRuns.get(server, orig.tags().get("reprise.reproduction.run_id"));
        assertThat(orig.tags())
                .containsEntry("reprise.reproduction.verdict", "REPRODUCED")
                .containsEntry("reprise.reproduction.count", n)
                .containsEntry("reprise.reproduction.by", System.getProperty("user.name"))
                .containsKeys("reprise.reproduction.at", "reprise.reproduction.host");
        JsonNode history = ServerRuns.parse(orig.tags().get("reprise.reproduction." + n));
        assertThat(history.path("verdict").asText()).isEqualTo("REPRODUCED");
        assertThat(history.path("run_id").asText()).isEqualTo(repro.id());
        assertThat(history.path("diverging")).isEmpty();
        JsonNode report = ServerRuns.parse(orig.artifact("reprise/reproductions/" + n + ".json"));
        assertThat(report.path("metrics").get(0).path("key").asText()).isEqualTo("accuracy");
        assertThat(report.path("artifacts").get(0).path("same").asBoolean()).isTrue();

        assertThat(repro.experimentId()).isEqualTo(orig.experimentId());
        assertThat(repro.metrics()).isEqualTo(orig.metrics());
        assertThat(repro.status()).isEqualTo("FINISHED");
        assertThat(repro.tags())
                .containsEntry("reprise.reproduction_of", original)
                .containsEntry("reprise.reproduction_of.verdict", "REPRODUCED");
        assertThat(cli.leftInTmp()).as("the checkout is removed").isEmpty();
    }

    @Test
    void aDirtyTreeIsReproducedWithItsDiffAndUntrackedFiles() throws IOException {
        GitRepo author = GitRepo.open(project.author);
        String dirty;
        try {
            author.write(
                    "train.py",
                    TrainingProject.TRAIN_PY
                            .replace("import mlflow", "import mlflow\nscale = float(open('scale.txt').read())")
                            .replace(
                                    "mlflow.log_metric(\"accuracy\", accuracy)",
                                    "mlflow.log_metric(\"accuracy\", accuracy * scale)"));
            author.write("scale.txt", "0.5\n");
            dirty = TrainingProject.ok(cli.in(project.author)
                            .run(
                                    "run",
                                    "--experiment",
                                    "demo",
                                    "--seed",
                                    "11",
                                    "--",
                                    TrainingProject.python().toString(),
                                    "train.py"))
                    .runId();
        } finally {
            author.git("checkout", "--", "train.py");
            Files.deleteIfExists(project.author.resolve("scale.txt"));
        }
        Path clone = project.cloneAs("clone-dirty");

        RepriseCli.Result r = cli.in(clone).run("reproduce", dirty);

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stderr())
                .contains("checkout: re-applied the recorded uncommitted diff (train.py)")
                .contains("checkout: restored 1 untracked file(s): scale.txt");
        assertThat(r.stdout())
                .contains("note: re-applied the recorded uncommitted diff (train.py)")
                .endsWith("REPRODUCED\n");
        ServerRuns.RecordedRun orig = ServerRuns.get(server, dirty);
        assertThat(ServerRuns.get(server, orig.tags().get("reprise.reproduction.run_id"))
                        .metrics())
                .isEqualTo(orig.metrics());
    }

    @Test
    void dataChangedOnTheRemoteGivesDivergedNamingTheData() throws IOException {
        Path changed = tmp.resolve("changed-remote");
        copyTree(project.remote, changed);
        try (Stream<Path> objects = Files.walk(changed)) {
            for (Path o : objects.filter(Files::isRegularFile).toList()) {
                o.toFile().setWritable(true);
                Files.writeString(o, "x,y\n1,0.10\n2,0.20\n3,0.30\n4,0.40\n"); // same name, other bytes
            }
        }
        Path clone = project.cloneAs("clone-changed-data");
        Files.writeString(clone.resolve(".dvc/config.local"), "['remote \"store\"']\n    url = " + changed + "\n");

        RepriseCli.Result r = cli.in(clone).run("reproduce", original);

        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout())
                .contains("probable causes, most likely first:\n  1. data changed: data/train.csv: recorded md5 ")
                .containsPattern("accuracy +\\S+ +\\S+ +DIFFERS");
        String last = r.stdout().strip().substring(r.stdout().strip().lastIndexOf('\n') + 1);
        assertThat(last).startsWith("DIVERGED: ").contains("accuracy", "data differs from the record: data/train.csv");
        try (Stream<Path> cached = Files.walk(clone.resolve(".dvc/cache"))) {
            assertThat(cached.filter(Files::isRegularFile))
                    .as("the changed object never enters the cache")
                    .isEmpty();
        }
        ServerRuns.RecordedRun orig = ServerRuns.get(server, original);
        assertThat(orig.tags()).containsEntry("reprise.reproduction.verdict", "DIVERGED");
        JsonNode history = ServerRuns.parse(
                orig.tags().get("reprise.reproduction." + orig.tags().get("reprise.reproduction.count")));
        assertThat(history.path("diverging").toString()).contains("accuracy", "data/train.csv");
        assertThat(history.path("reason").asText()).contains("data/train.csv");
    }

    @Test
    void aCommitNeitherHereNorAtTheRemoteFails() throws IOException {
        GitRepo author = GitRepo.open(project.author);
        author.write("notes.md", "not pushed\n").commitAll("local only");
        String run = TrainingProject.ok(cli.in(project.author).run("run", "--experiment", "demo", "--", "true"))
                .runId();
        String commit = author.head();
        author.git("reset", "-q", "--hard", "HEAD~1"); // the commit now lives only in the author's reflog
        Path clone = project.cloneAs("clone-missing-commit");

        RepriseCli.Result r = cli.in(clone).run("reproduce", run);

        assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
        assertThat(r.stdout().strip())
                .endsWith("FAILED: commit " + commit + " not found: not in the local repository " + clone.toRealPath()
                        + ", nor at the recorded remote " + project.origin);
        ServerRuns.RecordedRun orig = ServerRuns.get(server, run);
        assertThat(orig.tags())
                .containsEntry("reprise.reproduction.verdict", "FAILED")
                .doesNotContainKey("reprise.reproduction.run_id");
        assertThat(cli.leftInTmp()).isEmpty();
    }

    @Test
    void aDataObjectMissingFromCacheAndRemoteFails() throws IOException {
        Path clone = project.cloneAs("clone-empty-remote");
        Path empty = Files.createDirectories(tmp.resolve("empty-remote"));
        Files.writeString(clone.resolve(".dvc/config.local"), "['remote \"store\"']\n    url = " + empty + "\n");

        RepriseCli.Result r = cli.in(clone).run("reproduce", original);

        assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
        assertThat(r.stdout())
                .containsPattern(
                        "FAILED: data data/train.csv \\(md5 [0-9a-f]{32}\\) is neither in the cache nor on the remote\n");
        assertThat(r.stdout()).contains("hint: push it from a machine that has it");
        assertThat(ServerRuns.get(server, original).tags()).containsEntry("reprise.reproduction.verdict", "FAILED");
    }

    @Test
    void aFailingCommandFailsWithItsExitCodeAndLastLines() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("failing"));
        // Both lines on stderr: lines on two pipes reach the log in no fixed order (CI once saw them swapped).
        GitRepo g = GitRepo.init(dir).write("fail.sh", "echo preparing >&2\necho 'boom: no GPU found' >&2\nexit 3\n");
        g.commitAll("failing job");
        RepriseCli.Result first = cli.in(dir).run("run", "--experiment", "demo", "--", "sh", "fail.sh");
        assertThat(first.exitCode()).isEqualTo(3);

        RepriseCli.Result r = cli.in(dir).run("reproduce", first.runId());

        assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
        assertThat(r.stdout().strip()).endsWith("FAILED: the command failed with exit code 3: boom: no GPU found");
        assertThat(r.stdout()).contains("note:   preparing");
        ServerRuns.RecordedRun orig = ServerRuns.get(server, first.runId());
        assertThat(orig.tags()).containsEntry("reprise.reproduction.verdict", "FAILED");
        ServerRuns.RecordedRun repro = ServerRuns.get(server, orig.tags().get("reprise.reproduction.run_id"));
        assertThat(repro.status()).isEqualTo("FAILED");
        assertThat(repro.tags()).containsEntry("reprise.reproduction_of.verdict", "FAILED");
    }

    @Test
    void aRunNotCapturedByRepriseFailsWithHowToCaptureIt() {
        String body = server.post("/api/2.0/mlflow/runs/create", "{\"experiment_id\":\"0\"}")
                .body();
        String run =
                ServerRuns.parse(body).path("run").path("info").path("run_id").asText();

        RepriseCli.Result r = cli.run("reproduce", run);

        assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
        assertThat(r.stdout())
                .contains("hint: record runs with 'reprise run -- CMD'")
                .endsWith("FAILED: run " + run + " was not captured by reprise: it has no reprise/manifest.json\n");
        assertThat(ServerRuns.get(server, run).tags()).containsEntry("reprise.reproduction.verdict", "FAILED");
    }

    @Test
    void unknownRunsBadOptionsAndADownServerAreNotVerdicts() {
        RepriseCli.Result unknown = cli.run("reproduce", "0123456789abcdef0123456789abcdef");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("no run 0123456789abcdef0123456789abcdef on the tracking server");

        RepriseCli.Result badTolerance = cli.run("reproduce", original, "--tolerance", "accuracy=0.1");
        assertThat(badTolerance.exitCode()).isEqualTo(2);
        assertThat(badTolerance.stderr()).contains("tolerance '0.1' must be rel:NUMBER or abs:NUMBER");

        RepriseCli.Result down = cli.run("reproduce", original, "--tracking-uri", "http://127.0.0.1:9");
        assertThat(down.exitCode()).isEqualTo(3);
        assertThat(down.stderr()).contains("cannot reach the tracking server at http://127.0.0.1:9");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
