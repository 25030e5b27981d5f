package io.reprise.store;

import static io.reprise.model.ErrorCode.INVALID_PARAMETER_VALUE;
import static io.reprise.model.ErrorCode.INVALID_STATE;
import static io.reprise.model.ErrorCode.RESOURCE_ALREADY_EXISTS;
import static io.reprise.model.ErrorCode.RESOURCE_DOES_NOT_EXIST;
import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.model.Experiment;
import io.reprise.model.LifecycleStage;
import io.reprise.model.Tag;
import io.reprise.model.ViewType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The experiment half of the {@link TrackingStore} contract, on SQLite and PostgreSQL. */
@ParameterizedClass
@ValueSource(strings = {StoreBackends.SQLITE, StoreBackends.POSTGRES})
class ExperimentStoreTest extends StoreTestBase {

    private List<Experiment> allExperiments() {
        return store.searchExperiments(new ExperimentQuery(null, ViewType.ALL, 1000, List.of(), null))
                .items();
    }

    @Test
    void freshStoreHasExactlyTheDefaultExperiment() {
        assertThat(allExperiments()).singleElement().satisfies(e -> {
            assertThat(e.experimentId()).isEqualTo("0");
            assertThat(e.name()).isEqualTo("Default");
            assertThat(e.lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
            assertThat(e.artifactLocation()).isEqualTo(db.artifactRoot() + "/0");
            assertThat(e.tags()).isEmpty();
        });
        assertThat(store.findExperimentByName("Default")).contains(store.getExperiment("0"));
    }

    @Test
    void reopeningKeepsOneDefaultExperimentAndEverythingElse() {
        Experiment before = store.getExperiment("0");
        String id = experiment("kept");
        store = db.reopen();
        store = db.reopen();
        assertThat(allExperiments()).extracting(Experiment::name).containsExactlyInAnyOrder("Default", "kept");
        assertThat(store.getExperiment("0")).isEqualTo(before);
        assertThat(store.getExperiment(id).name()).isEqualTo("kept");
    }

    @Test
    void defaultExperimentSurvivesBeingDeletedAcrossReopen() {
        store.deleteExperiment("0");
        store = db.reopen();
        assertThat(allExperiments()).singleElement().satisfies(e -> {
            assertThat(e.experimentId()).isEqualTo("0");
            assertThat(e.lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        });
    }

    @Test
    void createdExperimentsGetIncreasingIdsAndALocationUnderTheRoot() {
        long before = System.currentTimeMillis();
        String first = experiment("first");
        String second = experiment("second");
        assertThat(first).isEqualTo("1");
        assertThat(second).isEqualTo("2");
        Experiment e = store.getExperiment(second);
        assertThat(e.name()).isEqualTo("second");
        assertThat(e.artifactLocation()).isEqualTo(db.artifactRoot() + "/2");
        assertThat(e.lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(e.creationTime()).isBetween(before, System.currentTimeMillis());
        assertThat(e.lastUpdateTime()).isEqualTo(e.creationTime());
    }

    @Test
    void givenArtifactLocationAndTagsAreKept() {
        String id = store.createExperiment(
                "with-location", "s3://bucket/some/path", List.of(new Tag("b", "2"), new Tag("a", "")));
        Experiment e = store.getExperiment(id);
        assertThat(e.artifactLocation()).isEqualTo("s3://bucket/some/path");
        assertThat(e.tags()).containsExactly(new Tag("a", ""), new Tag("b", "2"));
    }

    @Test
    void namesAreExactAndCaseSensitive() {
        String lower = experiment("exp");
        String upper = experiment("Exp");
        String unicode = experiment("実験 ✓ 'quoted' \"double\"");
        assertThat(store.findExperimentByName("exp").map(Experiment::experimentId))
                .contains(lower);
        assertThat(store.findExperimentByName("Exp").map(Experiment::experimentId))
                .contains(upper);
        assertThat(store.findExperimentByName("EXP")).isEmpty();
        assertThat(store.findExperimentByName("ex%")).isEmpty();
        assertThat(store.getExperiment(unicode).name()).isEqualTo("実験 ✓ 'quoted' \"double\"");
    }

    @Test
    void aTakenNameIsRefusedEvenWhenItsExperimentIsDeleted() {
        String id = experiment("taken");
        assertFails(() -> experiment("taken"), RESOURCE_ALREADY_EXISTS, "Experiment(name=taken) already exists.");
        assertFails(
                () -> store.createExperiment("taken", "/elsewhere", List.of()),
                RESOURCE_ALREADY_EXISTS,
                "Experiment(name=taken) already exists.");
        store.deleteExperiment(id);
        assertFails(() -> experiment("taken"), RESOURCE_ALREADY_EXISTS, "Experiment(name=taken) already exists.");
        assertThat(allExperiments()).hasSize(2);
    }

    @Test
    void unknownOrMalformedIdsAreReported() {
        assertFails(() -> store.getExperiment("42"), RESOURCE_DOES_NOT_EXIST, "No Experiment with id=42 exists");
        assertFails(() -> store.getExperiment("042"), RESOURCE_DOES_NOT_EXIST, "No Experiment with id=42 exists");
        assertThat(store.getExperiment("00").name()).isEqualTo("Default");
        assertFails(
                () -> store.getExperiment("abc"),
                INVALID_PARAMETER_VALUE,
                "Invalid experiment ID 'abc'. Experiment ID must be a valid integer.");
        assertFails(() -> store.deleteExperiment("42"), RESOURCE_DOES_NOT_EXIST, "No Experiment with id=42 exists");
        assertFails(
                () -> store.renameExperiment("42", "x"), RESOURCE_DOES_NOT_EXIST, "No Experiment with id=42 exists");
        assertFails(
                () -> store.setExperimentTag("42", new Tag("k", "v")),
                RESOURCE_DOES_NOT_EXIST,
                "No Experiment with id=42 exists");
        assertThat(store.findExperimentByName("nope")).isEmpty();
    }

    @Test
    void findByNameSeesDeletedExperiments() {
        String id = experiment("gone");
        store.deleteExperiment(id);
        assertThat(store.findExperimentByName("gone"))
                .get()
                .extracting(Experiment::lifecycleStage)
                .isEqualTo(LifecycleStage.DELETED);
        assertThat(store.getExperiment(id).lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
    }

    @Test
    void renameChangesTheNameAndFreesTheOldOne() {
        String id = experiment("old");
        long created = store.getExperiment(id).creationTime();
        store.renameExperiment(id, "new");
        Experiment e = store.getExperiment(id);
        assertThat(e.name()).isEqualTo("new");
        assertThat(e.lastUpdateTime()).isGreaterThanOrEqualTo(created);
        assertThat(store.findExperimentByName("old")).isEmpty();
        assertThat(experiment("old")).isNotEqualTo(id);
    }

    @Test
    void renameToATakenNameIsRefusedAndChangesNothing() {
        String a = experiment("a");
        experiment("b");
        assertFails(
                () -> store.renameExperiment(a, "b"), RESOURCE_ALREADY_EXISTS, "Experiment(name=b) already exists.");
        assertThat(store.getExperiment(a).name()).isEqualTo("a");
    }

    @Test
    void renameOfADeletedExperimentIsRefusedAsMlflowDoes() {
        String id = experiment("deleted");
        store.deleteExperiment(id);
        assertFails(() -> store.renameExperiment(id, "other"), INVALID_STATE, "Cannot rename a non-active experiment.");
        assertThat(store.getExperiment(id).name()).isEqualTo("deleted");
    }

    @Test
    void deleteAndRestoreCascadeToTheRuns() {
        String id = experiment("cascade");
        String r1 = run(id);
        String r2 = run(id);
        String other = run(experiment("other"));
        store.deleteExperiment(id);
        assertThat(store.getExperiment(id).lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertThat(stage(r1)).isEqualTo(LifecycleStage.DELETED);
        assertThat(stage(r2)).isEqualTo(LifecycleStage.DELETED);
        assertThat(stage(other)).isEqualTo(LifecycleStage.ACTIVE);

        store.restoreExperiment(id);
        assertThat(store.getExperiment(id).lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(stage(r1)).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(stage(r2)).isEqualTo(LifecycleStage.ACTIVE);
    }

    @Test
    void restoringAnExperimentRestoresAllItsRunsAsMlflowDoes() {
        String id = experiment("restore-all");
        String deletedEarlier = run(id);
        store.deleteRun(deletedEarlier);
        store.deleteExperiment(id);
        store.restoreExperiment(id);
        assertThat(stage(deletedEarlier)).isEqualTo(LifecycleStage.ACTIVE);
    }

    @Test
    void deleteOfADeletedAndRestoreOfAnActiveExperimentAreNotFound() {
        String id = experiment("twice");
        assertFails(() -> store.restoreExperiment(id), RESOURCE_DOES_NOT_EXIST, "No Experiment with id=1 exists");
        store.deleteExperiment(id);
        assertFails(() -> store.deleteExperiment(id), RESOURCE_DOES_NOT_EXIST, "No Experiment with id=1 exists");
    }

    private LifecycleStage stage(String runId) {
        return store.getRun(runId).info().lifecycleStage();
    }

    @Test
    void tagsAreSetOverwrittenAndDeleted() {
        String id = experiment("tagged");
        store.setExperimentTag(id, new Tag("k", "v1"));
        store.setExperimentTag(id, new Tag("k", "v2"));
        store.setExperimentTag(id, new Tag("empty", ""));
        assertThat(store.getExperiment(id).tags()).containsExactly(new Tag("empty", ""), new Tag("k", "v2"));
        store.deleteExperimentTag(id, "k");
        assertThat(store.getExperiment(id).tags()).containsExactly(new Tag("empty", ""));
        assertFails(
                () -> store.deleteExperimentTag(id, "k"),
                RESOURCE_DOES_NOT_EXIST,
                "No tag with name: k in experiment with id 1");
    }

    @Test
    void tagsOfADeletedExperimentCannotChange() {
        String id = experiment("frozen");
        store.setExperimentTag(id, new Tag("k", "v"));
        store.deleteExperiment(id);
        String message = "The experiment 1 must be in the 'active' state. Current state is deleted.";
        assertFails(() -> store.setExperimentTag(id, new Tag("k", "w")), INVALID_PARAMETER_VALUE, message);
        assertFails(() -> store.deleteExperimentTag(id, "k"), INVALID_PARAMETER_VALUE, message);
        assertThat(store.getExperiment(id).tags()).containsExactly(new Tag("k", "v"));
    }

    @Test
    void aLongTagValueRoundTrips() {
        String id = experiment("long");
        String value = incompressible(5000);
        store.setExperimentTag(id, new Tag("mlflow.note.content", value));
        assertThat(store.getExperiment(id).tags()).containsExactly(new Tag("mlflow.note.content", value));
    }
}
