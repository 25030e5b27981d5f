package io.reprise.store;

import static io.reprise.model.ErrorCode.INVALID_PARAMETER_VALUE;
import static io.reprise.model.ErrorCode.RESOURCE_DOES_NOT_EXIST;
import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.model.LifecycleStage;
import io.reprise.model.LoggedModel;
import io.reprise.model.LoggedModelStatus;
import io.reprise.model.Metric;
import io.reprise.model.ModelMetric;
import io.reprise.model.ModelOutput;
import io.reprise.model.Page;
import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.model.Tag;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** MLflow 3.x logged models and run outputs in the {@link TrackingStore} contract. */
@ParameterizedClass
@ValueSource(strings = {StoreBackends.SQLITE, StoreBackends.POSTGRES})
class LoggedModelStoreTest extends StoreTestBase {

    private LoggedModel create(String exp, String name, String runId, List<Tag> tags, List<Param> params) {
        return store.createLoggedModel(new NewLoggedModel(exp, name, "", runId, tags, params));
    }

    private List<String> names(Page<LoggedModel> page) {
        return page.items().stream().map(LoggedModel::name).toList();
    }

    private Page<LoggedModel> search(String exp, String filter) {
        return store.searchLoggedModels(new LoggedModelQuery(List.of(exp), filter, List.of(), 100, null));
    }

    @Test
    void createdModelIsPendingUnderTheExperimentsModelsFolder() {
        String exp = experiment("models");
        String run = run(exp);
        LoggedModel m = create(
                exp,
                "clf",
                run,
                List.of(new Tag("b", "2"), new Tag("a", "1")),
                List.of(new Param("lr", "0.1"), new Param("depth", "3")));
        assertThat(m.modelId()).matches("m-[0-9a-f]{32}");
        assertThat(m.experimentId()).isEqualTo(exp);
        assertThat(m.name()).isEqualTo("clf");
        assertThat(m.status()).isEqualTo(LoggedModelStatus.LOGGED_MODEL_PENDING);
        assertThat(m.lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(m.sourceRunId()).isEqualTo(run);
        assertThat(m.modelType()).isEmpty();
        assertThat(m.statusMessage()).isNull();
        assertThat(m.artifactLocation())
                .isEqualTo(db.artifactRoot() + "/" + exp + "/models/" + m.modelId() + "/artifacts");
        assertThat(m.creationTimestampMs())
                .isEqualTo(m.lastUpdatedTimestampMs())
                .isPositive();
        assertThat(m.tags()).containsExactly(new Tag("a", "1"), new Tag("b", "2"));
        assertThat(m.params()).containsExactly(new Param("depth", "3"), new Param("lr", "0.1"));
        assertThat(store.getLoggedModel(m.modelId(), false)).isEqualTo(m);
    }

    @Test
    void createNeedsAnActiveExperiment() {
        assertFails(
                () -> create("42", "m", "", List.of(), List.of()),
                RESOURCE_DOES_NOT_EXIST,
                "No Experiment with id=42 exists");
        String exp = experiment("gone");
        store.deleteExperiment(exp);
        assertFails(
                () -> create(exp, "m", "", List.of(), List.of()),
                INVALID_PARAMETER_VALUE,
                "The experiment " + exp + " must be in the 'active' state. Current state is deleted.");
    }

    @Test
    void finalizeTagsParamsAndDelete() throws InterruptedException {
        String exp = experiment("life");
        LoggedModel m = create(exp, "m", "", List.of(), List.of(new Param("k", "v")));
        Thread.sleep(2);
        LoggedModel ready = store.finalizeLoggedModel(m.modelId(), LoggedModelStatus.LOGGED_MODEL_READY);
        assertThat(ready.status()).isEqualTo(LoggedModelStatus.LOGGED_MODEL_READY);
        assertThat(ready.lastUpdatedTimestampMs()).isGreaterThan(m.lastUpdatedTimestampMs());

        store.setLoggedModelTags(m.modelId(), List.of(new Tag("t", "1"), new Tag("t", "2"), new Tag("u", "x")));
        store.setLoggedModelTags(m.modelId(), List.of(new Tag("u", "y")));
        assertThat(store.getLoggedModel(m.modelId(), false).tags())
                .containsExactly(new Tag("t", "2"), new Tag("u", "y"));
        store.deleteLoggedModelTag(m.modelId(), "t");
        assertFails(
                () -> store.deleteLoggedModelTag(m.modelId(), "t"),
                RESOURCE_DOES_NOT_EXIST,
                "No tag with key 't' found for model with ID '" + m.modelId() + "'.");

        store.logLoggedModelParams(m.modelId(), List.of(new Param("k", "v"), new Param("k2", "v2")));
        assertThat(store.getLoggedModel(m.modelId(), false).params())
                .containsExactly(new Param("k", "v"), new Param("k2", "v2"));
        assertFails(
                () -> store.logLoggedModelParams(m.modelId(), List.of(new Param("k", "other"))),
                INVALID_PARAMETER_VALUE,
                "Changing param values is not allowed. Param with key='k' was already logged with value='v' for"
                        + " logged model ID='" + m.modelId() + "'. Attempted logging new value 'other'.");

        store.deleteLoggedModel(m.modelId());
        String notFound = "Logged model with ID '" + m.modelId() + "' not found.";
        assertFails(() -> store.getLoggedModel(m.modelId(), false), RESOURCE_DOES_NOT_EXIST, notFound);
        assertThat(store.getLoggedModel(m.modelId(), true).lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertThat(search(exp, null).items()).isEmpty();
    }

    @Test
    void unknownModelIsNotFoundEverywhere() {
        String id = "m-0123456789abcdef0123456789abcdef";
        String message = "Logged model with ID '" + id + "' not found.";
        assertFails(() -> store.getLoggedModel(id, true), RESOURCE_DOES_NOT_EXIST, message);
        assertFails(
                () -> store.finalizeLoggedModel(id, LoggedModelStatus.LOGGED_MODEL_READY),
                RESOURCE_DOES_NOT_EXIST,
                message);
        assertFails(() -> store.setLoggedModelTags(id, List.of(new Tag("a", "b"))), RESOURCE_DOES_NOT_EXIST, message);
        assertFails(() -> store.deleteLoggedModel(id), RESOURCE_DOES_NOT_EXIST, message);
        assertFails(() -> store.logLoggedModelParams(id, List.of()), RESOURCE_DOES_NOT_EXIST, message);
    }

    @Test
    void searchFiltersSortsAndPages() throws InterruptedException {
        String exp = experiment("search");
        String other = experiment("other");
        String run = run(exp);
        LoggedModel a = create(exp, "alpha", run, List.of(new Tag("team", "red")), List.of(new Param("lr", "0.1")));
        Thread.sleep(2);
        LoggedModel b = create(exp, "beta", "", List.of(new Tag("team", "Blue")), List.of(new Param("lr", "0.2")));
        Thread.sleep(2);
        create(exp, "gamma", run, List.of(), List.of());
        create(other, "alpha", run, List.of(), List.of());
        store.finalizeLoggedModel(b.modelId(), LoggedModelStatus.LOGGED_MODEL_READY);

        assertThat(names(search(exp, null))).containsExactly("gamma", "beta", "alpha");
        assertThat(names(search(exp, "source_run_id = '" + run + "'"))).containsExactly("gamma", "alpha");
        assertThat(names(search(exp, "name = 'alpha'"))).containsExactly("alpha");
        assertThat(names(search(exp, "name LIKE '%a' AND name != 'gamma'"))).containsExactly("beta", "alpha");
        assertThat(names(search(exp, "name IN ('beta', 'gamma')"))).containsExactly("gamma", "beta");
        assertThat(names(search(exp, "status = 'READY'"))).containsExactly("beta");
        assertThat(names(search(exp, "params.lr = '0.1'"))).containsExactly("alpha");
        assertThat(names(search(exp, "tags.team ILIKE 'blue'"))).containsExactly("beta");
        assertThat(names(search(exp, "tags.team LIKE 'blue'"))).isEmpty();
        assertThat(names(search(exp, "creation_timestamp_ms >= " + b.creationTimestampMs())))
                .containsExactly("gamma", "beta");

        List<String> both = List.of(exp, other);
        LoggedModelQuery byName =
                new LoggedModelQuery(both, null, List.of(new LoggedModelQuery.Order("name", true)), 2, null);
        Page<LoggedModel> first = store.searchLoggedModels(byName);
        assertThat(names(first)).containsExactly("alpha", "alpha");
        assertThat(first.nextPageToken()).isNotNull();
        Page<LoggedModel> second =
                store.searchLoggedModels(new LoggedModelQuery(both, null, byName.orderBy(), 2, first.nextPageToken()));
        assertThat(names(second)).containsExactly("beta", "gamma");
        assertThat(second.nextPageToken()).isNull();
        assertThat(a.modelId()).isNotNull();
    }

    @Test
    void badFiltersAreClientErrors() {
        String exp = experiment("bad");
        assertFails(
                () -> search(exp, "name > 'a'"),
                INVALID_PARAMETER_VALUE,
                "Invalid comparison operator for attributes.name: '>'. Expected one of ('=', '!=', 'LIKE', 'ILIKE',"
                        + " 'IN', 'NOT IN').");
        assertFails(
                () -> search(exp, "name = 'a' OR name = 'b'"),
                INVALID_PARAMETER_VALUE,
                "Invalid filter string: 'name = 'a' OR name = 'b''. Expected a list of comparisons separated by"
                        + " 'AND' (e.g. 'metrics.loss > 0.1 AND params.lr = 0.01').");
        assertFails(
                () -> store.searchLoggedModels(new LoggedModelQuery(
                        List.of(exp), null, List.of(new LoggedModelQuery.Order("nope", true)), 10, null)),
                INVALID_PARAMETER_VALUE,
                "Invalid order by field name: nope");
    }

    @Test
    void runsShowTheModelsTheyProducedAndUsed() {
        String exp = experiment("io");
        String run = run(exp);
        LoggedModel m = create(exp, "m", run, List.of(), List.of());
        store.logOutputs(run, List.of(new ModelOutput(m.modelId(), 3)));
        store.logOutputs(run, List.of(new ModelOutput(m.modelId(), 3)));
        store.logInputs(run, List.of(), List.of("m-used"));
        store.logInputs(run, List.of(), List.of("m-used"));
        Run read = store.getRun(run);
        assertThat(read.modelOutputs()).containsExactly(new ModelOutput(m.modelId(), 3));
        assertThat(read.modelInputs()).containsExactly("m-used");
        store.deleteRun(run);
        assertFails(
                () -> store.logOutputs(run, List.of(new ModelOutput(m.modelId(), 4))),
                INVALID_PARAMETER_VALUE,
                "The run " + run + " must be in the 'active' state. Current state is deleted.");
    }

    @Test
    void metricsLoggedForAModelAreShownFilteredAndSortedOn() {
        String exp = experiment("metrics");
        String run = run(exp);
        LoggedModel good = create(exp, "good", run, List.of(), List.of());
        LoggedModel bad = create(exp, "bad", run, List.of(), List.of());
        create(exp, "none", run, List.of(), List.of());
        ModelMetric early = new ModelMetric(good.modelId(), run, "eval", "d1", new Metric("acc", 0.2, 100, 0));
        ModelMetric late = new ModelMetric(good.modelId(), run, null, null, new Metric("acc", 0.9, 200, 1));
        store.logModelMetrics(run, List.of(early, late, late));
        store.logModelMetrics(
                run, List.of(new ModelMetric(bad.modelId(), run, null, null, new Metric("acc", 0.5, 300, 0))));

        assertThat(store.getLoggedModel(good.modelId(), false).metrics()).containsExactly(early, late);
        // any point matches a filter; sorting uses the latest point
        assertThat(names(search(exp, "metrics.acc < 0.3"))).containsExactly("good");
        assertThat(names(search(exp, "metrics.acc >= 0.5"))).containsExactly("bad", "good");
        LoggedModelQuery byAcc = new LoggedModelQuery(
                List.of(exp), null, List.of(new LoggedModelQuery.Order("metrics.acc", false)), 10, null);
        assertThat(names(store.searchLoggedModels(byAcc))).containsExactly("good", "bad", "none");
    }
}
