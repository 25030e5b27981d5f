package io.reprise.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.testing.GitRepo;
import io.reprise.testing.RepriseCli;
import io.reprise.testing.ServerRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Audits ({@code reproduce --sample}) and onboarding ({@code baseline set/show}, {@code reproduce
 * --baseline}) on runs of a stdlib-only script that logs one metric through the REST API: two
 * deterministic runs and one that logs a random number.
 */
class AuditTest extends EndToEnd {
    private static final String LOG_PY = """
            import json, os, random, sys, urllib.request
            value = random.random() if sys.argv[1] == "random" else float(sys.argv[1])
            body = json.dumps({"run_id": os.environ["MLFLOW_RUN_ID"], "key": "score", "value": value,
                               "timestamp": 0, "step": 0}).encode()
            urllib.request.urlopen(urllib.request.Request(
                os.environ["MLFLOW_TRACKING_URI"] + "/api/2.0/mlflow/runs/log-metric", body,
                {"Content-Type": "application/json"}))
            """;

    Path repo;
    List<String> fixed = new ArrayList<>();
    String random;

    @BeforeAll
    void recordRuns() throws IOException {
        repo = Files.createDirectories(tmp.resolve("scores"));
        GitRepo.init(repo).write("log.py", LOG_PY).commitAll("scores");
        RepriseCli here = cli.in(repo);
        for (String v : List.of("0.5", "0.75")) {
            fixed.add(TrainingProject.ok(
                            here.run("run", "--experiment", "audit", "--seed", "1", "--", "python3", "log.py", v))
                    .runId());
        }
        random = TrainingProject.ok(here.run("run", "--experiment", "audit", "--", "python3", "log.py", "random"))
                .runId();
        TrainingProject.ok(here.run("run", "--experiment", "elsewhere", "--", "python3", "log.py", "1")); // not sampled
    }

    @Test
    void aSampleOfAnExperimentIsReproducedWithEveryVerdictRecorded() {
        RepriseCli.Result r = cli.in(repo)
                .run("reproduce", "--sample", "3", "--experiment", "audit", "--since", "1d", "--seed", "9", "--json");

        assertThat(r.exitCode()).as(r.all()).isEqualTo(1); // the worst verdict: DIVERGED
        JsonNode j = ServerRuns.parse(r.stdout());
        assertThat(j.path("seed").asLong()).isEqualTo(9);
        assertThat(j.path("candidates").asInt()).isEqualTo(3);
        List<String> sampled = new ArrayList<>();
        j.path("sampled").forEach(n -> sampled.add(n.asText()));
        assertThat(sampled).containsExactlyInAnyOrder(fixed.get(0), fixed.get(1), random);
        assertThat(j.path("counts").toString()).isEqualTo("{\"REPRODUCED\":2,\"DIVERGED\":1,\"FAILED\":0}");
        assertThat(r.stderr()).contains("sampled 3 of 3 FINISHED runs with a manifest (seed 9)");
        for (String id : fixed) {
            assertThat(ServerRuns.get(server, id).tags()).containsEntry("reprise.reproduction.verdict", "REPRODUCED");
        }
        ServerRuns.RecordedRun diverged = ServerRuns.get(server, random);
        assertThat(diverged.tags()).containsEntry("reprise.reproduction.verdict", "DIVERGED");
        JsonNode report = ServerRuns.parse(diverged.artifact(
                "reprise/reproductions/" + diverged.tags().get("reprise.reproduction.count") + ".json"));
        assertThat(report.path("causes").toString()).contains("no seed recorded", "PYTHONHASHSEED unset");

        RepriseCli.Result again =
                cli.in(repo).run("reproduce", "--sample", "2", "--experiment", "audit", "--seed", "9");
        assertThat(again.stdout())
                .as("the same seed draws the same runs, and reproductions are never sampled")
                .contains(sampled.get(0), sampled.get(1))
                .containsPattern("2 reproduced: \\d REPRODUCED, \\d DIVERGED, 0 FAILED \\(of 3 candidates, seed 9\\)");
    }

    @Test
    void aNewcomerReproducesTheBaselineWithOneCommand() throws IOException {
        Path clone = tmp.resolve("newcomer");
        RepriseCli.Result set = cli.in(repo).run("baseline", "set", fixed.get(0));
        assertThat(set.exitCode()).as(set.all()).isZero();
        JsonNode file = ServerRuns.parse(Files.readString(repo.resolve(".reprise/baseline.json")));
        assertThat(file.path("run_id").asText()).isEqualTo(fixed.get(0));
        assertThat(file.path("tracking_uri").asText()).isEqualTo(server.url());
        String experiment = file.path("experiment_id").asText();
        assertThat(ServerRuns.parse(server.get("/api/2.0/mlflow/experiments/get?experiment_id=" + experiment)
                                .body())
                        .path("experiment")
                        .path("tags")
                        .toString())
                .contains("reprise.baseline", fixed.get(0));
        GitRepo.open(repo).commitAll("baseline");
        GitRepo.cloneOf(repo.toString(), clone);

        RepriseCli newcomer =
                cli.in(clone).without("MLFLOW_TRACKING_URI"); // the committed file says where the server is
        RepriseCli.Result show = newcomer.run("baseline", "show");
        assertThat(show.stdout()).contains("baseline: run " + fixed.get(0)).contains("  score = 0.5");
        RepriseCli.Result r = newcomer.run("reproduce", "--baseline");

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stderr()).contains("baseline run " + fixed.get(0));
        assertThat(r.stdout()).endsWith("original: score = 0.5\nreproduction: score = 0.5\nREPRODUCED\n");
        Files.delete(clone.resolve(".reprise/baseline.json")); // then the experiment's tag names it
        RepriseCli.Result byTag = cli.in(clone).run("reproduce", "--baseline", "--experiment", "audit");
        assertThat(byTag.exitCode()).as(byTag.all()).isZero();
        assertThat(byTag.stderr()).contains("baseline run " + fixed.get(0));
    }

    @Test
    void ctrlCStopsTheCommandRemovesTheCheckoutAndRecordsNothing() throws Exception {
        Path marker = Files.writeString(tmp.resolve("fast"), "");
        String run = TrainingProject.ok(cli.in(repo)
                        .run("run", "--experiment", "slow", "--", "sh", "-c", "test -e " + marker + " || sleep 120"))
                .runId();
        Files.delete(marker);
        Process p = cli.in(repo).start("reproduce", run);
        long deadline = System.currentTimeMillis() + 60_000;
        while (!RepriseCli.stderrSoFar(p).contains("reprise: recording run") && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        String repro = RepriseCli.stderrSoFar(p).replaceAll("(?s).*reprise: recording run ([0-9a-f]{32}).*", "$1");

        GitRepo.run(tmp, List.of("kill", "-INT", String.valueOf(p.pid())));

        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
                .as("stops promptly")
                .isTrue();
        RepriseCli.Result r = RepriseCli.finish(p);
        assertThat(r.exitCode()).as(r.all()).isEqualTo(130);
        assertThat(r.stderr()).contains("stopped: no verdict recorded");
        assertThat(ServerRuns.get(server, run).tags()).doesNotContainKey("reprise.reproduction.verdict");
        assertThat(ServerRuns.get(server, repro).status()).isEqualTo("KILLED");
        assertThat(cli.leftInTmp()).as("the checkout is removed").isEmpty();
    }

    @Test
    void keepLeavesTheCheckoutAndSaysWhere() throws IOException {
        RepriseCli.Result r = cli.in(repo).run("reproduce", fixed.get(1), "--keep");

        assertThat(r.exitCode()).as(r.all()).isZero();
        String kept = r.stdout().replaceAll("(?s).*checkout kept at (\\S+)\n.*", "$1");
        assertThat(Path.of(kept).resolve("log.py")).exists();
        Workspace.delete(Path.of(kept).getParent());
    }

    @Test
    void withoutABaselineItSaysHowToSetOne() {
        RepriseCli.Result r = cli.in(tmp).run("reproduce", "--baseline");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr())
                .contains("no baseline: no .reprise/baseline.json")
                .contains("reprise baseline set RUN_ID");
        RepriseCli.Result both = cli.run("reproduce", "abc", "--sample", "2");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.stderr()).contains("give one of RUN_ID, --sample N or --baseline");
    }
}
