package io.reprise.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.policy.Api.Answer;
import io.reprise.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy as a client sees it, through the MLflow REST API of a real server. */
class PolicyEnforcementTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    static final String POLICY = """
            rules:
              - name: sandbox
                experiments: "sandbox-*"
                mode: warn
                require:
                  tags: [{key: mlflow.user, at: start}, data_version]
              - name: team
                experiments: "team-*"
                mode: enforce
                require:
                  tags:
                    - {key: mlflow.source.git.commit, regex: "[0-9a-f]{40}", at: start}
                    - {key: mlflow.user, at: start}
                    - {key: data_version, at: finish}
                  params: [{key: seed, regex: "[0-9]+"}]
                  artifacts: ["configs/*.yaml"]
                  metrics: true
              - name: clean
                experiments: "clean-*"
                mode: enforce
                require:
                  clean_tree: true
            """;
    static final Map<String, String> START_TAGS = Map.of("mlflow.source.git.commit", SHA, "mlflow.user", "ana");

    @TempDir
    Path dir;

    TestServer server;
    Api api;

    @BeforeEach
    void start() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        server = TestServer.withPolicy(dir, policy);
        api = new Api(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void enforceRefusesCreateRunWithoutTheStartTagsNamingEachAndHowToSupplyIt() {
        String exp = api.experiment("team-churn");
        Answer a = api.createRun(exp, Map.of("mlflow.source.git.commit", "HEAD"));
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(a.message())
                .startsWith("The team policy (rule 'team', mode enforce) refuses to create a run in experiment"
                        + " 'team-churn': 1) tag 'mlflow.source.git.commit' is 'HEAD', which does not match"
                        + " /[0-9a-f]{40}/: run your script from a git checkout")
                .contains("2) tag 'mlflow.user' is missing: MLflow sends your login name; or pass"
                        + " tags={'mlflow.user': '<you>'} to mlflow.start_run()")
                .doesNotContain("data_version", "seed"); // finish-time requirements are not due yet
        Answer search = api.post("runs/search", "{\"experiment_ids\":[\"" + exp + "\"]}");
        assertThat(search.body().path("runs").size()).as("no run was created").isZero();
    }

    @Test
    void finishingIsRefusedInEverySpellingUntilTheFinishRequirementsAreMetThenCompliant() {
        String exp = api.experiment("team-churn");
        String run = api.createdRun(exp, START_TAGS);
        assertThat(api.tags(run)).containsEntry(Compliance.TAG, "pending").containsEntry(Compliance.RULE_TAG, "team");

        for (String status : new String[] {"\"FINISHED\"", "\"3\"", "3"}) {
            Answer a = api.finish(run, status);
            assertThat(a.status()).as(status).isEqualTo(400);
            assertThat(a.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
            assertThat(a.message())
                    .contains("refuses to finish run " + run)
                    .contains("stays RUNNING")
                    .contains("tag 'data_version' is missing: set it before the run ends:"
                            + " mlflow.set_tag('data_version', ...)")
                    .contains("param 'seed' is missing: log it before the run ends: mlflow.log_param('seed', ...)")
                    .contains("no artifact matches 'configs/*.yaml': log the file before the run ends, e.g."
                            + " mlflow.log_artifact('file.yaml', artifact_path='configs')")
                    .contains("no metric was logged");
            assertThat(api.status(run)).isEqualTo("RUNNING");
        }
        // a status the API does not know changes nothing, so it is no way around the check either
        api.ok(api.finish(run, "\"finished\""));
        assertThat(api.status(run)).isEqualTo("RUNNING");

        api.ok(api.post(
                "runs/log-batch",
                "{\"run_id\":\"" + run + "\",\"params\":[" + Api.kv("seed", "42") + "],\"tags\":["
                        + Api.kv("data_version", "v3") + "],\"metrics\":[{\"key\":\"acc\",\"value\":0.9,"
                        + "\"timestamp\":1}]}"));
        api.uploadArtifact(run, exp, "configs/train.yaml", "lr: 0.1\n");
        api.ok(api.finish(run, "\"FINISHED\""));
        assertThat(api.status(run)).isEqualTo("FINISHED");
        assertThat(api.tags(run)).containsEntry(Compliance.TAG, "compliant").containsEntry(Compliance.REASONS_TAG, "");
    }

    @Test
    void deletingOrChangingARequiredTagAfterFinishReevaluatesAndIsRecorded() {
        String exp = api.experiment("team-x");
        String run = finishedCompliantRun(exp);

        api.ok(api.post("runs/delete-tag", "{\"run_id\":\"" + run + "\",\"key\":\"data_version\"}"));
        Map<String, String> tags = api.tags(run);
        assertThat(tags)
                .containsEntry(Compliance.TAG, "non-compliant")
                .containsEntry(
                        Compliance.REASONS_TAG,
                        "tag 'data_version' is missing: set it before the run ends:"
                                + " mlflow.set_tag('data_version', ...)");
        assertThat(tags.get(Compliance.HISTORY_TAG))
                .matches("\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z tag 'data_version' deleted after the run ended:"
                        + " compliant -> non-compliant");

        api.ok(api.post("runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"data_version\",\"value\":\"v4\"}"));
        tags = api.tags(run);
        assertThat(tags).containsEntry(Compliance.TAG, "compliant");
        String[] lines = tags.get(Compliance.HISTORY_TAG).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).endsWith("tag 'data_version' set after the run ended: non-compliant -> compliant");

        // a tag no rule mentions changes nothing and is not recorded
        api.ok(api.post("runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"note\",\"value\":\"x\"}"));
        assertThat(api.tags(run).get(Compliance.HISTORY_TAG).split("\n")).hasSize(2);
    }

    @Test
    void clientsCannotSetOrDeleteTheServersVerdictTagsByAnyEndpoint() {
        String exp = api.experiment("team-y");
        String run = api.createdRun(exp, START_TAGS);
        String[][] attempts = {
            {"runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"reprise.compliance\",\"value\":\"compliant\"}"},
            {
                "runs/log-batch",
                "{\"run_id\":\"" + run + "\",\"tags\":[" + Api.kv("reprise.compliance.reasons", "") + "]}"
            },
            {"runs/delete-tag", "{\"run_id\":\"" + run + "\",\"key\":\"reprise.compliance\"}"},
            {"runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"reprise.policy.override\",\"value\":\"1\"}"},
            {
                "runs/create",
                "{\"experiment_id\":\"" + exp + "\",\"tags\":[" + Api.kv("mlflow.source.git.commit", SHA) + ","
                        + Api.kv("mlflow.user", "ana") + "," + Api.kv("reprise.compliance", "compliant") + "]}"
            },
        };
        for (String[] a : attempts) {
            Answer answer = api.post(a[0], a[1]);
            assertThat(answer.status()).as(a[0]).isEqualTo(400);
            assertThat(answer.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
            assertThat(answer.message()).contains("is reserved: the server sets the reprise.compliance*");
        }
        assertThat(api.tags(run)).containsEntry(Compliance.TAG, "pending");
        Answer search = api.post("runs/search", "{\"experiment_ids\":[\"" + exp + "\"]}");
        assertThat(search.body().path("runs").size()).isEqualTo(1);
        // what `reprise run` writes under reprise.* stays open to clients
        api.ok(api.post(
                "runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"reprise.git.dirty\",\"value\":\"false\"}"));
    }

    @Test
    void warnModeAcceptsTheRunAndFlagsItAndTheFlagIsSearchable() {
        String exp = api.experiment("sandbox-ana");
        String run = api.createdRun(exp, Map.of());
        assertThat(api.tags(run))
                .containsEntry(Compliance.TAG, "non-compliant")
                .containsEntry(
                        Compliance.REASONS_TAG,
                        "tag 'mlflow.user' is missing: MLflow sends your login name; or"
                                + " pass tags={'mlflow.user': '<you>'} to mlflow.start_run()");
        String good = api.createdRun(exp, Map.of("mlflow.user", "ana", "data_version", "v1"));
        api.ok(api.finish(run, "\"FINISHED\""));
        api.ok(api.finish(good, "\"FINISHED\""));
        assertThat(api.tags(run).get(Compliance.REASONS_TAG)).contains("tag 'data_version' is missing");
        assertThat(api.tags(good)).containsEntry(Compliance.TAG, "compliant");

        Answer found = api.post(
                "runs/search",
                "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"tags.reprise.compliance = 'non-compliant'\"}");
        api.ok(found);
        assertThat(found.body().path("runs")).hasSize(1);
        assertThat(found.body().path("runs").get(0).path("info").path("run_id").asText())
                .isEqualTo(run);
    }

    @Test
    void aFailedRunIsAcceptedEvenUnderEnforceButJudgedNonCompliant() {
        String exp = api.experiment("team-z");
        String run = api.createdRun(exp, START_TAGS);
        api.ok(api.finish(run, "\"FAILED\""));
        assertThat(api.status(run)).isEqualTo("FAILED");
        assertThat(api.tags(run)).containsEntry(Compliance.TAG, "non-compliant");
        // ...and cannot be turned into FINISHED behind the policy's back
        Answer a = api.finish(run, "\"FINISHED\"");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.message()).contains("stays FAILED");
        assertThat(api.status(run)).isEqualTo("FAILED");
    }

    @Test
    void cleanTreeNeedsTheCaptureTagToSayFalse() {
        String exp = api.experiment("clean-1");
        String dirty = api.createdRun(exp, Map.of());
        api.ok(api.post(
                "runs/set-tag", "{\"run_id\":\"" + dirty + "\",\"key\":\"reprise.git.dirty\",\"value\":\"true\"}"));
        Answer a = api.finish(dirty, "\"FINISHED\"");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.message()).contains("the working tree had uncommitted changes ('reprise.git.dirty' is 'true')");
        String clean = api.createdRun(exp, Map.of());
        api.ok(api.post(
                "runs/set-tag", "{\"run_id\":\"" + clean + "\",\"key\":\"reprise.git.dirty\",\"value\":\"false\"}"));
        api.ok(api.finish(clean, "\"FINISHED\""));
    }

    @Test
    void aRunNoRuleCoversIsCompliantWithTheReasonSaid() {
        String exp = api.experiment("other");
        String run = api.createdRun(exp, Map.of());
        api.ok(api.finish(run, "\"FINISHED\""));
        assertThat(api.tags(run))
                .containsEntry(Compliance.TAG, "compliant")
                .containsEntry(Compliance.REASONS_TAG, "no rule of the policy matches experiment 'other'")
                .containsEntry(Compliance.RULE_TAG, "");
    }

    @Test
    void theComplianceEndpointAnswersTheVerdictUnderTheCurrentPolicy() {
        String exp = api.experiment("team-e");
        String run = api.createdRun(exp, START_TAGS);
        Answer a = api.compliance(run);
        api.ok(a);
        JsonNode b = a.body();
        assertThat(b.path("run_id").asText()).isEqualTo(run);
        assertThat(b.path("status").asText()).isEqualTo("RUNNING");
        assertThat(b.path("verdict").asText()).isEqualTo("pending");
        assertThat(b.path("rule").asText()).isEqualTo("team");
        assertThat(b.path("mode").asText()).isEqualTo("enforce");
        assertThat(b.path("recorded_verdict").asText()).isEqualTo("pending");

        String done = finishedCompliantRun(exp);
        assertThat(api.compliance(done).body().path("verdict").asText()).isEqualTo("compliant");

        Answer missing = api.compliance("0123456789abcdef0123456789abcdef");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(api.get("/api/2.0/reprise/runs/compliance").status()).isEqualTo(400);
    }

    private String finishedCompliantRun(String exp) {
        String run = api.createdRun(exp, START_TAGS);
        api.ok(api.post(
                "runs/log-batch",
                "{\"run_id\":\"" + run + "\",\"params\":[" + Api.kv("seed", "7") + "],\"tags\":["
                        + Api.kv("data_version", "v3") + "],\"metrics\":[{\"key\":\"acc\",\"value\":0.5,"
                        + "\"timestamp\":1}]}"));
        api.uploadArtifact(run, exp, "configs/train.yaml", "lr: 0.1\n");
        api.ok(api.finish(run, "\"FINISHED\""));
        assertThat(api.tags(run)).containsEntry(Compliance.TAG, "compliant");
        return run;
    }
}
