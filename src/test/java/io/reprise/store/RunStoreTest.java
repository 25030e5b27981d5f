package io.reprise.store;

import static io.reprise.model.ErrorCode.INVALID_PARAMETER_VALUE;
import static io.reprise.model.ErrorCode.RESOURCE_DOES_NOT_EXIST;
import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.model.Dataset;
import io.reprise.model.DatasetInput;
import io.reprise.model.LifecycleStage;
import io.reprise.model.Metric;
import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.model.RunInfo;
import io.reprise.model.RunStatus;
import io.reprise.model.Tag;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Run creation, reading, updating and lifecycle in the {@link TrackingStore} contract. */
@ParameterizedClass
@ValueSource(strings = {StoreBackends.SQLITE, StoreBackends.POSTGRES})
class RunStoreTest extends StoreTestBase {

    @Test
    void createdRunIsRunningWithItsArtifactUriAndTags() {
        String exp = experiment("runs");
        List<Tag> tags = List.of(new Tag("mlflow.runName", "first"), new Tag("mlflow.user", "alice"), new Tag("t", ""));
        Run run = store.createRun(new NewRun(exp, "alice", "first", 1_700_000_000_123L, tags));
        RunInfo info = run.info();
        assertThat(info.runId()).matches("[0-9a-f]{32}");
        assertThat(info.experimentId()).isEqualTo(exp);
        assertThat(info.runName()).isEqualTo("first");
        assertThat(info.userId()).isEqualTo("alice");
        assertThat(info.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(info.startTime()).isEqualTo(1_700_000_000_123L);
        assertThat(info.endTime()).isNull();
        assertThat(info.lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(info.artifactUri()).isEqualTo(db.artifactRoot() + "/1/" + info.runId() + "/artifacts");
        assertThat(run.data().tags())
                .containsExactly(new Tag("mlflow.runName", "first"), new Tag("mlflow.user", "alice"), new Tag("t", ""));
        assertThat(run.data().metrics()).isEmpty();
        assertThat(run.data().params()).isEmpty();
        assertThat(run.inputs()).isEmpty();
        assertThat(store.getRun(info.runId())).isEqualTo(run);
    }

    @Test
    void runIdsAreUniqueAndTheArtifactUriFollowsTheExperimentLocation() {
        String exp = store.createExperiment("s3", "s3://bucket/prefix", List.of());
        String a = run(exp);
        String b = run(exp);
        assertThat(a).isNotEqualTo(b);
        assertThat(store.getRun(a).info().artifactUri()).isEqualTo("s3://bucket/prefix/" + a + "/artifacts");
    }

    @Test
    void runsCanBeCreatedInTheDefaultExperiment() {
        String id = run("0");
        assertThat(store.getRun(id).info().artifactUri()).isEqualTo(db.artifactRoot() + "/0/" + id + "/artifacts");
    }

    @Test
    void createRunIsRefusedInADeletedOrUnknownExperiment() {
        String exp = experiment("deleted");
        store.deleteExperiment(exp);
        assertFails(
                () -> run(exp),
                INVALID_PARAMETER_VALUE,
                "The experiment 1 must be in the 'active' state. Current state is deleted.");
        assertFails(() -> run("77"), RESOURCE_DOES_NOT_EXIST, "No Experiment with id=77 exists");
    }

    @Test
    void unknownRunIsNotFound() {
        String id = "0123456789abcdef0123456789abcdef";
        String message = "Run with id=" + id + " not found";
        assertFails(() -> store.getRun(id), RESOURCE_DOES_NOT_EXIST, message);
        assertFails(() -> store.deleteRun(id), RESOURCE_DOES_NOT_EXIST, message);
        assertFails(() -> store.restoreRun(id), RESOURCE_DOES_NOT_EXIST, message);
        assertFails(() -> store.logBatch(id, List.of(), List.of(), List.of()), RESOURCE_DOES_NOT_EXIST, message);
        assertFails(() -> store.deleteTag(id, "k"), RESOURCE_DOES_NOT_EXIST, message);
        assertFails(
                () -> store.updateRun(new RunUpdate(id, RunStatus.FINISHED, null, null)),
                RESOURCE_DOES_NOT_EXIST,
                message);
        assertFails(() -> store.getMetricHistory(id, "m", null, null), RESOURCE_DOES_NOT_EXIST, message);
    }

    @Test
    void updateSetsStatusEndTimeAndName() {
        String id = run(experiment("e"), "before");
        RunInfo returned = store.updateRun(new RunUpdate(id, RunStatus.FINISHED, 1_800_000_000_000L, "after"));
        Run run = store.getRun(id);
        assertThat(returned).isEqualTo(run.info());
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.info().endTime()).isEqualTo(1_800_000_000_000L);
        assertThat(run.info().runName()).isEqualTo("after");
        assertThat(run.data().tags()).contains(new Tag("mlflow.runName", "after"));
    }

    @Test
    void updateLeavesWhatItIsNotGiven() {
        String id = run(experiment("e"), "kept");
        store.updateRun(new RunUpdate(id, RunStatus.FAILED, null, null));
        store.updateRun(new RunUpdate(id, null, 5L, ""));
        RunInfo info = store.getRun(id).info();
        assertThat(info.status()).isEqualTo(RunStatus.FAILED);
        assertThat(info.endTime()).isEqualTo(5L);
        assertThat(info.runName()).isEqualTo("kept");
        assertThat(store.getRun(id).data().tags()).containsExactly(new Tag("mlflow.runName", "kept"));
    }

    @Test
    void settingTheRunNameTagRenamesTheRun() {
        String id = run(experiment("e"), "old");
        store.logBatch(id, List.of(), List.of(), List.of(new Tag("mlflow.runName", "renamed")));
        Run run = store.getRun(id);
        assertThat(run.info().runName()).isEqualTo("renamed");
        assertThat(run.data().tags()).containsExactly(new Tag("mlflow.runName", "renamed"));
        // An empty name tag is ignored, as MLflow's set_tag ignores it.
        store.logBatch(id, List.of(), List.of(), List.of(new Tag("mlflow.runName", "")));
        assertThat(store.getRun(id)).isEqualTo(run);
    }

    @Test
    void everythingAboutARunSurvivesReopeningTheStore() {
        String id = run(experiment("kept"), "kept-run");
        store.logBatch(
                id,
                List.of(new Metric("m", 0.5, 10, 1), new Metric("m", Double.NaN, 11, 2)),
                List.of(new Param("p", "v")),
                List.of(new Tag("t", "x")));
        store.logInputs(id, List.of(new DatasetInput(dataset("d"), List.of(new Tag("mlflow.data.context", "train")))));
        store.updateRun(new RunUpdate(id, RunStatus.KILLED, 99L, null));
        Run before = store.getRun(id);
        List<Metric> history = store.getMetricHistory(id, "m", null, null).items();
        store = db.reopen();
        assertThat(store.getRun(id)).isEqualTo(before);
        assertThat(store.getMetricHistory(id, "m", null, null).items())
                .isEqualTo(history)
                .hasSize(2);
    }

    @Test
    void deleteAndRestoreFlipTheLifecycleAndDeletedRunsCanStillBeRead() {
        String id = run();
        store.logBatch(id, List.of(new Metric("m", 1, 1, 0)), List.of(new Param("p", "v")), List.of());
        store.deleteRun(id);
        Run deleted = store.getRun(id);
        assertThat(deleted.info().lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertThat(deleted.data().params()).containsExactly(new Param("p", "v"));
        store.deleteRun(id);
        store.restoreRun(id);
        assertThat(store.getRun(id).info().lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        store.restoreRun(id);
        assertThat(store.getRun(id).info().lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
    }

    @Test
    void everyWriteToADeletedRunIsRefusedUntilItIsRestored() {
        String id = run();
        store.logBatch(id, List.of(), List.of(), List.of(new Tag("k", "v")));
        store.deleteRun(id);
        String message = "The run " + id + " must be in the 'active' state. Current state is deleted.";
        assertFails(
                () -> store.logBatch(id, List.of(new Metric("m", 1, 1, 0)), List.of(), List.of()),
                INVALID_PARAMETER_VALUE,
                message);
        assertFails(
                () -> store.logBatch(id, List.of(), List.of(new Param("p", "v")), List.of()),
                INVALID_PARAMETER_VALUE,
                message);
        assertFails(
                () -> store.logBatch(id, List.of(), List.of(), List.of(new Tag("k", "w"))),
                INVALID_PARAMETER_VALUE,
                message);
        assertFails(() -> store.deleteTag(id, "k"), INVALID_PARAMETER_VALUE, message);
        assertFails(
                () -> store.updateRun(new RunUpdate(id, RunStatus.FINISHED, 1L, null)),
                INVALID_PARAMETER_VALUE,
                message);
        assertFails(
                () -> store.logInputs(id, List.of(new DatasetInput(dataset("d"), List.of()))),
                INVALID_PARAMETER_VALUE,
                message);
        Run run = store.getRun(id);
        assertThat(run.data().tags()).contains(new Tag("k", "v"));
        assertThat(run.data().metrics()).isEmpty();
        assertThat(run.info().status()).isEqualTo(RunStatus.RUNNING);

        store.restoreRun(id);
        store.logBatch(id, List.of(new Metric("m", 1, 1, 0)), List.of(new Param("p", "v")), List.of());
        assertThat(store.getRun(id).data().params()).containsExactly(new Param("p", "v"));
    }

    @Test
    void tagsOverwriteAndDeleteAndAMissingTagIsNotFound() {
        String id = run();
        store.logBatch(id, List.of(), List.of(), List.of(new Tag("k", "1")));
        store.logBatch(id, List.of(), List.of(), List.of(new Tag("k", "2"), new Tag("e", "")));
        assertThat(store.getRun(id).data().tags()).contains(new Tag("k", "2"), new Tag("e", ""));
        store.deleteTag(id, "k");
        assertThat(store.getRun(id).data().tags()).extracting(Tag::key).doesNotContain("k");
        assertFails(
                () -> store.deleteTag(id, "k"), RESOURCE_DOES_NOT_EXIST, "No tag with name: k in run with id " + id);
    }

    @Test
    void theSameTagKeyTwiceInOneBatchKeepsTheLast() {
        String id = run();
        store.logBatch(id, List.of(), List.of(), List.of(new Tag("k", "first"), new Tag("k", "last")));
        assertThat(store.getRun(id).data().tags())
                .contains(new Tag("k", "last"))
                .doesNotContain(new Tag("k", "first"));
    }

    static Dataset dataset(String name) {
        return new Dataset(name, "digest-" + name, "local", "{\"uri\": \"/data/" + name + "\"}", null, null);
    }
}
