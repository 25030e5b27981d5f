package io.reprise.javaclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.reprise.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;

/**
 * MLflow's official Java client ({@code org.mlflow:mlflow-client}) against a real server: it sends
 * int64 fields as JSON strings and both {@code run_id} and {@code run_uuid}. Its artifact methods
 * shell out to Python, so they are not exercised here.
 */
class MlflowJavaClientTest {
    @TempDir
    Path dir;

    @AutoClose
    TestServer server;

    @AutoClose
    MlflowClient client;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        client = new MlflowClient(server.url());
    }

    @Test
    void experimentsAreCreatedFoundAndSearched() {
        String id = client.createExperiment("java-client");
        Experiment e = client.getExperiment(id);
        assertThat(e.getName()).isEqualTo("java-client");
        assertThat(e.getLifecycleStage()).isEqualTo("active");
        assertThat(e.getArtifactLocation()).endsWith("/" + id);

        assertThat(client.getExperimentByName("java-client"))
                .map(Experiment::getExperimentId)
                .contains(id);
        assertThat(client.getExperimentByName("no such experiment")).isEmpty();

        client.setExperimentTag(id, "team", "ml");
        assertThat(client.searchExperiments().getItems())
                .extracting(Experiment::getExperimentId, Experiment::getName)
                .containsExactlyInAnyOrder(tuple("0", "Default"), tuple(id, "java-client"));
        assertThat(client.getExperiment(id).getTagsList())
                .extracting(t -> t.getKey() + "=" + t.getValue())
                .containsExactly("team=ml");

        client.deleteExperiment(id);
        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("deleted");
        client.restoreExperiment(id);
        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("active");
    }

    @Test
    void aRunIsLoggedToReadBackTerminatedDeletedAndRestored() {
        String exp = client.createExperiment("runs");
        long before = System.currentTimeMillis();
        RunInfo created = client.createRun(exp);
        String runId = created.getRunId();
        assertThat(runId).matches("[0-9a-f]{32}");
        assertThat(created.getRunUuid()).isEqualTo(runId);
        assertThat(created.getExperimentId()).isEqualTo(exp);
        assertThat(created.getStatus()).isEqualTo(RunStatus.RUNNING);
        assertThat(created.getStartTime()).isGreaterThanOrEqualTo(before);
        assertThat(created.getArtifactUri()).endsWith("/" + exp + "/" + runId + "/artifacts");

        client.logParam(runId, "lr", "0.01");
        client.logMetric(runId, "loss", 0.9);
        client.logMetric(runId, "acc", 0.5, 1_700_000_000_000L, 1);
        client.logMetric(runId, "acc", 0.7, 1_700_000_000_500L, 2);
        client.setTag(runId, "stage", "train");
        client.logBatch(
                runId,
                List.of(Metric.newBuilder()
                        .setKey("acc")
                        .setValue(0.8)
                        .setTimestamp(1_700_000_001_000L)
                        .setStep(3)
                        .build()),
                List.of(Param.newBuilder().setKey("epochs").setValue("3").build()),
                List.of(RunTag.newBuilder()
                        .setKey("mlflow.note.content")
                        .setValue("from Java")
                        .build()));

        Run run = client.getRun(runId);
        assertThat(run.getInfo().getRunName()).isNotEmpty();
        assertThat(run.getData().getParamsList())
                .extracting(Param::getKey, Param::getValue)
                .containsExactlyInAnyOrder(tuple("lr", "0.01"), tuple("epochs", "3"));
        assertThat(run.getData().getTagsList())
                .extracting(RunTag::getKey, RunTag::getValue)
                .contains(
                        tuple("stage", "train"),
                        tuple("mlflow.note.content", "from Java"),
                        tuple("mlflow.runName", run.getInfo().getRunName()));
        assertThat(run.getData().getMetricsList())
                .extracting(Metric::getKey, Metric::getValue, Metric::getStep)
                .containsExactlyInAnyOrder(tuple("loss", 0.9, 0L), tuple("acc", 0.8, 3L));
        assertThat(client.getMetricHistory(runId, "acc"))
                .extracting(Metric::getValue, Metric::getTimestamp, Metric::getStep)
                .containsExactly(
                        tuple(0.5, 1_700_000_000_000L, 1L),
                        tuple(0.7, 1_700_000_000_500L, 2L),
                        tuple(0.8, 1_700_000_001_000L, 3L));

        client.setTerminated(runId);
        RunInfo finished = client.getRun(runId).getInfo();
        assertThat(finished.getStatus()).isEqualTo(RunStatus.FINISHED);
        assertThat(finished.getEndTime()).isBetween(before, System.currentTimeMillis());

        client.deleteRun(runId);
        assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("deleted");
        assertThat(client.searchRuns(List.of(exp), "", ViewType.ACTIVE_ONLY, 10).getItems())
                .isEmpty();
        client.restoreRun(runId);
        assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("active");
    }

    @Test
    void searchRunsWithoutAFilterPagesThroughAnExperiment() {
        String exp = client.createExperiment("search");
        String other = client.createExperiment("other");
        List<String> ids = List.of(
                client.createRun(exp).getRunId(),
                client.createRun(exp).getRunId(),
                client.createRun(exp).getRunId());
        client.createRun(other);

        assertThat(client.searchRuns(List.of(exp), null, ViewType.ACTIVE_ONLY, 1000)
                        .getItems())
                .extracting(r -> r.getInfo().getRunId())
                .containsExactlyInAnyOrderElementsOf(ids);
        var first = client.searchRuns(List.of(exp), null, ViewType.ACTIVE_ONLY, 2);
        assertThat(first.getItems()).hasSize(2);
        assertThat(first.hasNextPage()).isTrue();
        assertThat(first.getNextPage().getItems()).hasSize(1);
    }

    @Test
    void serverErrorsReachTheClientWithMlflowsCodes() {
        String runId = client.createRun(client.createExperiment("errors")).getRunId();
        client.logParam(runId, "p", "1");
        assertThatThrownBy(() -> client.logParam(runId, "p", "2"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getBodyMessage())
                            .contains("INVALID_PARAMETER_VALUE")
                            .contains("Changing param values is not allowed");
                });
        assertThatThrownBy(() -> client.getRun("0123456789abcdef0123456789abcdef"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
                });
    }
}
