package io.reprise.audit;

import static io.reprise.audit.Reports.reprise;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Team evidence from a real server with a policy: runs created through the MLflow REST API, compliance
 * verdicts written by the server, reproduction verdicts as {@code reprise reproduce} writes them (the
 * shared reproduction contract). A project that audits at 100 locally climbs from level 2 to 4.
 */
class TeamEvidenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestServer server;
    private Path project;

    @BeforeEach
    void start() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), """
                version: 1
                rules:
                  - name: team
                    experiments: "*"
                    mode: enforce
                    require:
                      params:
                        - key: seed
                          regex: "[0-9]+"
                      metrics: true
                """);
        server = TestServer.withPolicy(Files.createDirectory(dir.resolve("server")), policy);
        project = dir.resolve("churn");
        assertThat(reprise("init", project.toString(), "--tracking-uri", server.url())
                        .exitCode())
                .isZero();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode audit() {
        Reports.Result r = reprise(
                "audit",
                project.toString(),
                "--tracking-uri",
                server.url(),
                "--experiment",
                "churn",
                "--format",
                "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r.json();
    }

    @Test
    void evidenceOnTheServerMovesTheLevelFromTwoToFour() throws Exception {
        String experiment = post("/api/2.0/mlflow/experiments/create", "{\"name\": \"churn\"}")
                .path("experiment_id")
                .asText();

        JsonNode noRuns = audit();
        assertThat(noRuns.path("level").asInt()).isEqualTo(2);
        assertThat(noRuns.path("team").path("policy_mode").asText()).isEqualTo("unknown");
        assertThat(Reports.findings(noRuns))
                .containsExactlyInAnyOrder("team.policy-enforced .", "team.compliant-runs .", "team.reproduced-runs .");
        // the team category weighs 20 of 120: 100 locally, 0 for the team
        assertThat(noRuns.path("score").asInt()).isEqualTo(83);

        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(finishedRun(experiment, 42 + i, 0.8 + i / 100.0));
        }
        JsonNode enforced = audit();
        assertThat(enforced.path("team").path("policy_mode").asText()).isEqualTo("enforce");
        assertThat(enforced.path("team").path("compliant_runs").asInt()).isEqualTo(3);
        assertThat(enforced.path("level").asInt()).isEqualTo(3);
        assertThat(enforced.path("level_name").asText()).isEqualTo("Enforced");
        assertThat(Reports.findings(enforced)).containsExactly("team.reproduced-runs .");
        assertThat(enforced.path("next_level").get(0).asText())
                .isEqualTo("level 4 (Auditable): no run has been reproduced");

        // reprise reproduce tags the original runs; two reproduced, one diverged: 67% < 90%
        reproduction(experiment, runs.get(0), "REPRODUCED");
        reproduction(experiment, runs.get(1), "REPRODUCED");
        reproduction(experiment, runs.get(2), "DIVERGED");
        JsonNode diverged = audit();
        assertThat(diverged.path("team").path("audited_runs").asInt()).isEqualTo(3);
        assertThat(diverged.path("team").path("reproduced_runs").asInt()).isEqualTo(2);
        assertThat(diverged.path("level").asInt()).isEqualTo(3);
        assertThat(diverged.path("level_reasons").get(0).asText())
                .isEqualTo("only 67% of audited runs reproduced (90% needed)");

        // the third reproduced on a second attempt: the latest verdict counts
        setTag(runs.get(2), "reprise.reproduction.verdict", "REPRODUCED");
        setTag(runs.get(2), "reprise.reproduction.count", "2");
        JsonNode auditable = audit();
        assertThat(auditable.path("level").asInt()).isEqualTo(4);
        assertThat(auditable.path("level_name").asText()).isEqualTo("Auditable");
        assertThat(auditable.path("score").asInt()).isEqualTo(100);
        assertThat(auditable.path("findings")).isEmpty();

        Reports.Result text = reprise("audit", project.toString(), "--tracking-uri", server.url());
        assertThat(text.out())
                .contains("score 100/100, level 4 (Auditable)")
                // every experiment: Default and churn, the reproduction runs included
                .contains("6 runs in 2 experiments; policy enforce; 6/6 ended runs compliant; 3/3 audited runs"
                        + " reproduced");

        // recorded on the experiment, the level shows on the web UI's compliance page
        Reports.Result recorded = reprise(
                "audit", project.toString(), "--tracking-uri", server.url(), "--experiment", "churn", "--record");
        assertThat(recorded.exitCode()).as(recorded.err()).isZero();
        assertThat(recorded.err()).contains("recorded level 4 (score 100) on experiment 'churn'");
        String page = get("/compliance?experiment=" + experiment);
        assertThat(page.substring(page.indexOf("id=\"recorded-audits\"")))
                .contains("churn")
                .contains("level 4 (Auditable)")
                .contains("<td>100</td>");
        assertThat(reprise("audit", project.toString(), "--tracking-uri", server.url(), "--record")
                        .err())
                .startsWith("reprise audit: --record needs --experiment NAME");
    }

    private String get(String path) throws Exception {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            return http.send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + path))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }

    @Test
    void aWarnOnlyOrMissingPolicyKeepsTheLevelAtTwo() throws Exception {
        String experiment = post("/api/2.0/mlflow/experiments/create", "{\"name\": \"churn\"}")
                .path("experiment_id")
                .asText();
        finishedRun(experiment, 1, 0.9);
        String noSeed = post("/api/2.0/mlflow/runs/create", "{\"experiment_id\": \"" + experiment + "\"}")
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
        // enforce refuses FINISHED without the seed; a FAILED run is accepted and judged non-compliant
        post("/api/2.0/mlflow/runs/update", "{\"run_id\": \"" + noSeed + "\", \"status\": \"FAILED\"}");
        JsonNode report = audit();
        assertThat(report.path("team").path("judged_runs").asInt()).isEqualTo(2);
        assertThat(report.path("team").path("compliant_runs").asInt()).isEqualTo(1);
        assertThat(report.path("level").asInt()).isEqualTo(2);
        assertThat(report.path("level_reasons").get(0).asText()).isEqualTo("only 50% of runs compliant (90% needed)");

        Reports.Result unknown =
                reprise("audit", project.toString(), "--tracking-uri", server.url(), "--experiment", "nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("reprise audit: experiment 'nope' does not exist on " + server.url());
    }

    private String finishedRun(String experiment, int seed, double accuracy) throws Exception {
        String run = post(
                        "/api/2.0/mlflow/runs/create", "{\"experiment_id\": \"" + experiment + "\", \"start_time\": 1}")
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
        post(
                "/api/2.0/mlflow/runs/log-batch",
                "{\"run_id\": \"" + run + "\", \"params\": [{\"key\": \"seed\", \"value\": \""
                        + seed + "\"}], \"metrics\": [{\"key\": \"accuracy\", \"value\": " + accuracy
                        + ", \"timestamp\": 2, \"step\": 0}]}");
        post("/api/2.0/mlflow/runs/update", "{\"run_id\": \"" + run + "\", \"status\": \"FINISHED\", \"end_time\": 3}");
        return run;
    }

    /** What reprise reproduce records (the lead's contract): tags on the original and a reproduction run. */
    private void reproduction(String experiment, String original, String verdict) throws Exception {
        String copy = finishedRun(experiment, 42, 0.8);
        setTag(copy, "reprise.reproduction_of", original);
        setTag(copy, "reprise.reproduction_of.verdict", verdict);
        setTag(original, "reprise.reproduction.verdict", verdict);
        setTag(original, "reprise.reproduction.run_id", copy);
        setTag(original, "reprise.reproduction.count", "1");
        setTag(original, "reprise.reproduction.1", "{\"verdict\":\"" + verdict + "\",\"run_id\":\"" + copy + "\"}");
    }

    private void setTag(String run, String key, String value) throws Exception {
        JsonNode body =
                JSON.createObjectNode().put("run_id", run).put("key", key).put("value", value);
        post("/api/2.0/mlflow/runs/set-tag", body.toString());
    }

    private JsonNode post(String path, String body) throws Exception {
        TestServer.Response r = server.post(path, body);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
