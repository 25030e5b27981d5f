package io.reprise.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.cli.Main;
import io.reprise.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reprise check run|experiment|pr} against a real server with a policy. */
class CheckGatesTest {
    @TempDir
    Path dir;

    TestServer server;
    Api api;
    String exp;

    private record Result(int exitCode, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), PolicyEnforcementTest.POLICY);
        server = TestServer.withPolicy(dir, policy);
        api = new Api(server);
        exp = api.experiment("team-churn");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Result check(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new java.util.ArrayList<>(List.of("check"));
        all.addAll(List.of(args));
        all.addAll(List.of("--tracking-uri", server.url()));
        int code = Main.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void checkRunPassesOnlyAFinishedCompliantRun() throws Exception {
        String good = compliantRun(0.931);
        Result pass = check("run", good);
        assertThat(pass.exitCode()).as(pass.out() + pass.err()).isZero();
        assertThat(pass.out()).isEqualTo("run " + good + ": FINISHED, compliant under rule 'team'\nPASS\n");

        String running = api.createdRun(exp, PolicyEnforcementTest.START_TAGS);
        Result fail = check("run", running, "--format", "json");
        assertThat(fail.exitCode()).isEqualTo(1);
        JsonNode json = Api.JSON.readTree(fail.out());
        assertThat(json.path("passed").asBoolean()).isFalse();
        assertThat(json.path("run").path("status").asText()).isEqualTo("RUNNING");
        assertThat(json.path("run").path("verdict").asText()).isEqualTo("pending");

        String failed = api.createdRun(exp, PolicyEnforcementTest.START_TAGS);
        api.ok(api.finish(failed, "\"FAILED\""));
        Result text = check("run", failed);
        assertThat(text.exitCode()).isEqualTo(1);
        assertThat(text.out())
                .contains("run " + failed + ": FAILED, non-compliant under rule 'team'")
                .contains("  - the run has not FINISHED (it is FAILED)")
                .contains("  - tag 'data_version' is missing")
                .endsWith("FAIL\n");

        Result missing = check("run", "0123456789abcdef0123456789abcdef");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out()).startsWith("run 0123456789abcdef0123456789abcdef does not exist on " + server.url());
    }

    @Test
    void checkExperimentPrintsTheShareAndTheWorstOffenders() throws Exception {
        compliantRun(0.9);
        String bad = api.createdRun(
                exp, Map.of("mlflow.source.git.commit", PolicyEnforcementTest.SHA, "mlflow.user", "bob"));
        api.ok(api.finish(bad, "\"FAILED\""));
        api.createdRun(exp, PolicyEnforcementTest.START_TAGS); // pending: not counted

        Result r = check("experiment", "team-churn");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out())
                .startsWith("experiment 'team-churn': 3 runs; 1 of 2 ended runs compliant (50.0%, required 100.0%);"
                        + " 1 pending, 0 without a verdict\n")
                .contains("worst offenders (runs with the most unmet requirements):\n  " + bad)
                .contains("by bob: 4 unmet")
                .contains("      - param 'seed' is missing")
                .contains("non-compliant runs by author: bob 1")
                .endsWith("FAIL\n");
        assertThat(check("experiment", "team-churn", "--min-share", "50").exitCode())
                .isZero();
        JsonNode json = Api.JSON.readTree(
                check("experiment", "team-churn", "--format", "json").out());
        assertThat(json.path("share_compliant").asDouble()).isEqualTo(0.5);
        assertThat(json.path("counts").path("pending").asInt()).isEqualTo(1);
        assertThat(json.path("worst_runs").get(0).path("run_id").asText()).isEqualTo(bad);

        Result none = check("experiment", "nope");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.out()).startsWith("experiment 'nope' does not exist on ");
    }

    @Test
    void theShippedTemplateFilledInPassesAndUnfilledFailsNamingEverySection() throws Exception {
        String good = compliantRun(0.931);
        String template = Files.readString(Path.of("templates/pull_request_template.md"));
        Path empty = Files.writeString(dir.resolve("empty.md"), template);
        Result unfilled = check("pr", "--body", empty.toString());
        assertThat(unfilled.exitCode()).isEqualTo(1);
        assertThat(unfilled.out())
                .contains("- section '## Runs' is empty")
                .contains("- section '## Config' is empty")
                .contains("- section '## Data version' is empty")
                .contains("- section '## Results' is empty")
                .contains("- section '## Reproduce' is empty")
                .endsWith("FAIL\n");

        Path filled = Files.writeString(dir.resolve("pr.md"), fill(template, good, "accuracy: 0.931"));
        Result pass = check("pr", "--body", filled.toString());
        assertThat(pass.exitCode()).as(pass.out()).isZero();
        assertThat(pass.out())
                .contains("result accuracy = 0.931 matches run " + good)
                .endsWith("PASS\n");
        // a rounded quote matches to the digits written; a percentage too
        Files.writeString(filled, fill(template, good, "| accuracy | 93.1% |"));
        assertThat(check("pr", "--body", filled.toString()).exitCode()).isZero();
    }

    @Test
    void prGateFailsOnAWrongResultAnUnknownMetricABadRunAndAForeignLink() throws Exception {
        String good = compliantRun(0.931);
        String template = Files.readString(Path.of("templates/pull_request_template.md"));
        String pending = api.createdRun(exp, PolicyEnforcementTest.START_TAGS);
        String body = fill(template, good, "accuracy: 0.95\nf1: 0.5")
                .replace(
                        "## Config",
                        "http://other.example:5000/#/experiments/1/runs/" + "f".repeat(32) + "\n" + server.url()
                                + "/#/experiments/" + exp + "/runs/" + pending + "\n\n## Config");
        Path pr = Files.writeString(dir.resolve("pr.md"), body);
        Result r = check("pr", "--body", pr.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out())
                .contains("does not match the linked run's metric (0.931)")
                .contains("metric 'f1' is not logged by any linked run")
                .contains("run link http://other.example:5000/#/.../runs/" + "f".repeat(32)
                        + " points to another server than " + server.url())
                .contains("run " + pending + ": RUNNING, pending under rule 'team'")
                .endsWith("FAIL\n");
    }

    @Test
    void usageErrorsExitTwoAndAnUnreachableServerThree() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine()
                .setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err))
                .execute("check", "pr", "--body", dir.resolve("nope.md").toString(), "--tracking-uri", server.url());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("reprise check pr: --body: no such file: ");

        StringWriter err2 = new StringWriter();
        int down = Main.commandLine()
                .setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err2))
                .execute("check", "run", "abc", "--tracking-uri", "http://127.0.0.1:1");
        assertThat(down).isEqualTo(3);
        assertThat(err2.toString())
                .startsWith("reprise check run: cannot reach the tracking server at http://127.0.0.1:1");
    }

    @Test
    void theTrackingUriComesFromTheEnvironmentLikeMlflowClients() throws Exception {
        String good = compliantRun(0.9);
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "io.reprise.cli.Main",
                "check",
                "run",
                good);
        pb.environment().put("MLFLOW_TRACKING_URI", server.url());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).endsWith("PASS\n");
        pb.environment().remove("MLFLOW_TRACKING_URI");
        Process q = pb.start();
        String noUri = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(q.waitFor()).isEqualTo(2);
        assertThat(noUri).startsWith("reprise check run: no tracking server: pass --tracking-uri");
    }

    /** The template with every section filled for {@code runId}; {@code results} under Results. */
    private String fill(String template, String runId, String results) {
        return template.replaceAll("(?s)<!--.*?-->", "")
                .replace("## Summary\n", "## Summary\nBetter churn model.\n")
                .replace("## Runs\n", "## Runs\n" + server.url() + "/#/experiments/" + exp + "/runs/" + runId + "\n")
                .replace("## Config\n", "## Config\nconfigs/train.yaml\n")
                .replace("## Data version\n", "## Data version\ndata/churn.csv md5 3f2a\n")
                .replace("## Results\n", "## Results\n" + results + "\n")
                .replace("## Reproduce\n", "## Reproduce\nreprise run -- python train.py\n");
    }

    private String compliantRun(double accuracy) {
        String run = api.createdRun(exp, PolicyEnforcementTest.START_TAGS);
        api.ok(api.post(
                "runs/log-batch",
                "{\"run_id\":\"" + run + "\",\"params\":[" + Api.kv("seed", "7") + "],\"tags\":["
                        + Api.kv("data_version", "v3") + "],\"metrics\":[{\"key\":\"accuracy\",\"value\":" + accuracy
                        + ",\"timestamp\":1}]}"));
        api.uploadArtifact(run, exp, "configs/train.yaml", "lr: 0.1\n");
        api.ok(api.finish(run, "\"FINISHED\""));
        return run;
    }
}
