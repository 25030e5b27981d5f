package io.reprise.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.testing.GitRepo;
import io.reprise.testing.RepriseCli;
import io.reprise.testing.ServerRuns;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code reprise run --offline} with the server down, then {@code reprise sync} once it is up. */
class OfflineSyncTest extends ServerFixture {

    @Test
    void offlineRunIsSpooledWithTheProgramsOwnLoggingAndSyncUploadsAllOfIt() throws Exception {
        Path python = Path.of(System.getProperty("user.home"), ".cache/reprise/venv-mlflow3/bin/python");
        assumeThat(python).as("scripts/python-env.sh mlflow3 creates it").isExecutable();
        GitRepo repo = GitRepo.init(project)
                .write(
                        "train.py",
                        String.join(
                                "\n",
                                "import mlflow",
                                "with mlflow.start_run():",
                                "    mlflow.log_param('lr', 0.1)",
                                "    for step in range(3):",
                                "        mlflow.log_metric('acc', 0.5 + step / 10, step=step)",
                                "    mlflow.log_text('hello', 'notes/hi.txt')",
                                "    print('trained')",
                                ""))
                .commitAll("init");

        RepriseCli.Result r = offline()
                .run("run", "--offline", "--experiment", "demo", "--seed", "3", "--", python.toString(), "train.py");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).startsWith("trained\n"); // then mlflow's own "View run" lines
        assertThat(r.stderr())
                .contains("recording offline in " + project.toRealPath().resolve(".reprise/spool"));
        assertThat(entries()).hasSize(1);
        assertThat(Spool.readJson(entries().get(0).resolve("spool.json")).get("state"))
                .isEqualTo("complete");
        assertThat(repo.git("status", "--porcelain"))
                .as("the spool is ignored by git")
                .isEmpty();

        RepriseCli.Result sync = reprise().run("sync");

        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(sync.stderr()).contains("1 run(s) from 1 spool entry uploaded to " + server.url());
        assertThat(entries()).isEmpty();
        List<JsonNode> runs = runsIn("demo");
        assertThat(runs).hasSize(1);
        ServerRuns.RecordedRun run =
                ServerRuns.get(server, runs.get(0).path("info").path("run_id").asText());
        assertThat(run.status()).isEqualTo("FINISHED");
        assertThat(run.params()).containsEntry("lr", "0.1").containsEntry("seed", "3");
        assertThat(run.tags())
                .containsEntry("mlflow.source.git.commit", repo.head())
                .containsEntry("reprise.offline", "true")
                .containsEntry("reprise.exit_code", "0");
        JsonNode history = ServerRuns.parse(server.get("/api/2.0/mlflow/metrics/get-history?run_id="
                                + run.json().path("info").path("run_id").asText() + "&metric_key=acc")
                        .body())
                .path("metrics");
        assertThat(history).hasSize(3);
        assertThat(run.artifact("notes/hi.txt")).isEqualTo("hello");
        assertThat(run.artifact("reprise/output.log")).startsWith("trained\n");
        JsonNode manifest = run.manifest();
        assertThat(manifest.path("run").path("run_id").asText())
                .isEqualTo(run.json().path("info").path("run_id").asText());
        assertThat(manifest.path("run").path("tracking_uri").asText()).isEqualTo(server.url());
        assertThat(manifest.path("offline").path("local_run_id").asText()).isEqualTo(r.runId());

        RepriseCli.Result again = reprise().run("sync");
        assertThat(again.exitCode()).isZero();
        assertThat(again.stderr()).contains("nothing to upload");
        assertThat(runsIn("demo")).hasSize(1);
    }

    @Test
    void aSyncCutShortAfterCreatingTheRunDoesNotDuplicateItWhenRetried() throws Exception {
        GitRepo.init(project).write("a.txt", "a\n").commitAll("init");
        assertThat(offline()
                        .run("run", "--offline", "--experiment", "demo", "--", "sh", "-c", "echo hi")
                        .exitCode())
                .isZero();
        Path entry = entries().get(0);
        Path copy = tmp.resolve("entry-copy");
        copyTree(entry, copy);

        assertThat(reprise().run("sync").exitCode()).isZero();
        // as if the sync had died after the server created the run, before anything was recorded locally
        copyTree(copy, entry);
        RepriseCli.Result retry = reprise().run("sync");

        assertThat(retry.exitCode()).as(retry.stderr()).isZero();
        assertThat(retry.stderr()).contains("1 run(s) from 1 spool entry uploaded");
        List<JsonNode> runs = runsIn("demo");
        assertThat(runs).hasSize(1);
        assertThat(ServerRuns.get(
                                server, runs.get(0).path("info").path("run_id").asText())
                        .artifact("reprise/output.log"))
                .isEqualTo("hi\n");
    }

    @Test
    void aBrokenSpoolEntryIsReportedAndKeptWhileTheOthersAreSynced() throws Exception {
        GitRepo.init(project).write("a.txt", "a\n").commitAll("init");
        assertThat(offline()
                        .run("run", "--offline", "--experiment", "demo", "--", "true")
                        .exitCode())
                .isZero();
        assertThat(offline()
                        .run("run", "--offline", "--experiment", "demo", "--", "true")
                        .exitCode())
                .isZero();
        Path broken = entries().get(0);
        Files.writeString(broken.resolve("spool.json"), "{not json");

        RepriseCli.Result r = reprise().run("sync");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr())
                .contains(broken.getFileName() + ": FAILED, kept for a later sync: cannot read spool.json")
                .contains("1 run(s) from 1 spool entry uploaded", "1 failed (kept in ")
                .doesNotContain("\tat ");
        assertThat(entries()).containsExactly(broken);
        assertThat(runsIn("demo")).hasSize(1);
    }

    @Test
    void syncWithTheServerStillDownKeepsEverythingAndSaysSo() throws Exception {
        GitRepo.init(project).write("a.txt", "a\n").commitAll("init");
        assertThat(offline().run("run", "--offline", "--", "true").exitCode()).isZero();

        RepriseCli.Result r = offline().run("sync");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr().strip())
                .startsWith("reprise sync: cannot reach the tracking server at http://127.0.0.1:")
                .contains("1 spooled run(s) kept in")
                .doesNotContain("\n");
        assertThat(entries()).hasSize(1);
    }

    /** reprise pointed at a port nothing listens on. */
    private RepriseCli offline() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        return reprise().env("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + closed);
    }

    private List<Path> entries() throws IOException {
        Path spool = project.resolve(".reprise/spool");
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(spool)) {
            return s.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private List<JsonNode> runsIn(String experiment) {
        String id = ServerRuns.parse(server.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + experiment)
                        .body())
                .path("experiment")
                .path("experiment_id")
                .asText();
        JsonNode runs = ServerRuns.parse(
                        server.post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\":[\"" + id + "\"]}")
                                .body())
                .path("runs");
        List<JsonNode> out = new java.util.ArrayList<>();
        runs.forEach(out::add);
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
