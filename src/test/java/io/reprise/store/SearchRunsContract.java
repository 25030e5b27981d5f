package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.reprise.model.ErrorCode;
import io.reprise.model.MlflowException;
import io.reprise.model.Page;
import io.reprise.model.Run;
import io.reprise.model.RunStatus;
import io.reprise.model.ViewType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Search-runs behaviour every store must have. The expected run lists were produced by MLflow
 * 3.17.2's SqlAlchemyStore (on SQLite) over the same runs, logged the same way.
 *
 * <p>Subclasses supply a fresh, empty store; searches only read, so one store serves the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SearchRunsContract {
    private static final double MAX = Double.MAX_VALUE;

    private TrackingStore store;
    private RunFixture runs;
    private String exp;
    private String other;

    /** A new store with nothing logged in it yet. */
    protected abstract TrackingStore newStore();

    @BeforeAll
    void logRuns() {
        store = newStore();
        runs = new RunFixture(store);
        exp = store.createExperiment("exp", null, List.of());
        other = store.createExperiment("other", null, List.of());
        runs.run(exp, "r1", 1000)
                .ended(RunStatus.FINISHED, 2000L)
                .metric("acc", 0.9)
                .metric("loss", 0.5)
                .param("lr", "0.01")
                .param("model", "CNN")
                .tag("team", "vision")
                .tag("env", "prod")
                .dataset("mnist", "d1", "training")
                .log();
        runs.run(exp, "r2", 2000)
                .user("bob")
                .metric("acc", 0.7)
                .metric("loss", Double.NaN)
                .param("lr", "0.1")
                .param("model", "cnn")
                .tag("team", "nlp")
                .dataset("mnist", "d2", "eval")
                .log();
        runs.run(exp, "r3", 3000)
                .ended(RunStatus.FAILED, 3500L)
                .metric("acc", -1.0)
                .param("lr", "0.001")
                .param("note", "O'Brien")
                .tag("team", "Vision")
                .dataset("cifar", "d3", null)
                .log();
        runs.run(exp, "r4", 2500).user("carol").metric("acc", Double.NaN).log();
        // The tracking service clamps infinities to the largest doubles before they reach a store.
        runs.run(exp, "r5", 4000)
                .metric("acc", MAX)
                .metric("loss", -MAX)
                .param("model", "rnn_v2")
                .tag("env", "dev")
                .log();
        store.deleteRun(runs.run(exp, "r6", 5000).metric("acc", 0.99).log());
        runs.run(other, "r7", 6000).metric("acc", 0.5).log();
    }

    @AfterAll
    void closeStore() {
        store.close();
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                arguments("metrics.acc > 0.8", List.of("r5", "r1")),
                arguments("metrics.acc >= 0.7", List.of("r5", "r2", "r1")),
                arguments("metrics.acc < 0", List.of("r3")),
                arguments("metrics.acc != 0.9", List.of("r5", "r3", "r4", "r2")),
                arguments("metrics.acc = 0.9", List.of("r1")),
                arguments("metrics.loss != 0.5", List.of("r5", "r2")),
                // NaN is stored as 0 but is never equal to 0, so it satisfies != 0.
                arguments("metrics.loss != 0", List.of("r5", "r2", "r1")),
                arguments("metrics.acc != 0", List.of("r5", "r3", "r4", "r2", "r1")),
                arguments("metrics.acc > -1e308 AND metrics.acc < 1e308", List.of("r3", "r2", "r1")),
                arguments("metrics.loss <= 0.5", List.of("r5", "r1")),
                arguments("metrics.acc > 1e300", List.of("r5")),
                arguments("metrics.missing != 1", List.of()),
                arguments("params.lr = '0.01'", List.of("r1")),
                arguments("params.lr != '0.01'", List.of("r3", "r2")),
                arguments("params.model LIKE 'c%'", List.of("r2")),
                arguments("params.model LIKE 'C%'", List.of("r1")),
                arguments("params.model ILIKE 'c%'", List.of("r2", "r1")),
                arguments("params.model LIKE '%_%'", List.of("r5", "r2", "r1")),
                arguments("params.lr IS NULL", List.of("r5", "r4")),
                arguments("params.lr IS NOT NULL", List.of("r3", "r2", "r1")),
                arguments("tags.team = 'vision'", List.of("r1")),
                arguments("tags.team ILIKE 'VISION'", List.of("r3", "r1")),
                arguments("tags.team != 'vision'", List.of("r3", "r2")),
                arguments("tags.env IS NULL", List.of("r3", "r4", "r2")),
                arguments("tags.mlflow.runName = 'r3'", List.of("r3")),
                arguments("tags.\"mlflow.runName\" LIKE 'r%'", List.of("r5", "r3", "r4", "r2", "r1")),
                arguments("run_name = 'r2'", List.of("r2")),
                arguments("`run name` != 'r2'", List.of("r5", "r3", "r4", "r1")),
                arguments("attributes.run_name ILIKE 'R%'", List.of("r5", "r3", "r4", "r2", "r1")),
                arguments("status = 'FINISHED'", List.of("r1")),
                arguments("status != 'RUNNING'", List.of("r3", "r1")),
                arguments("status = 'finished'", List.of()),
                arguments("status LIKE 'F%'", List.of("r3", "r1")),
                arguments("status ILIKE 'f%'", List.of("r3", "r1")),
                arguments("user_id = 'alice'", List.of("r5", "r3", "r1")),
                arguments("user_id != 'alice'", List.of("r4", "r2")),
                arguments("start_time > 2000", List.of("r5", "r3", "r4")),
                arguments("start_time >= 3000", List.of("r5", "r3")),
                arguments("created < 3000", List.of("r4", "r2", "r1")),
                arguments("Created = 1000", List.of("r1")),
                arguments("end_time > 0", List.of("r3", "r1")),
                arguments("end_time != 2000", List.of("r3")),
                arguments("end_time <= 3500", List.of("r3", "r1")),
                arguments("start_time > 1500.5", List.of("r5", "r3", "r4", "r2")),
                arguments("artifact_uri LIKE '%artifacts'", List.of("r5", "r3", "r4", "r2", "r1")),
                arguments("datasets.name = 'mnist'", List.of("r2", "r1")),
                arguments("datasets.name != 'mnist'", List.of("r3")),
                arguments("datasets.digest IN ('d1', 'd3')", List.of("r3", "r1")),
                arguments("datasets.digest NOT IN ('d1')", List.of("r3", "r2")),
                arguments("datasets.context = 'training'", List.of("r1")),
                arguments("datasets.context != 'training'", List.of("r2")),
                arguments("datasets.context LIKE '%'", List.of("r2", "r1")),
                arguments("datasets.name = 'mnist' AND datasets.context = 'eval'", List.of("r2")),
                arguments("metrics.acc > 0 AND params.lr LIKE '0.0%'", List.of("r1")),
                arguments("metrics.acc > 0 and tags.team = 'vision' and status = 'FINISHED'", List.of("r1")),
                arguments("params.model LIKE 'rnn%' AND tags.env = 'dev'", List.of("r5")),
                arguments("metrics.acc >= -1 AND metrics.acc <= 1", List.of("r3", "r2", "r1")),
                arguments("metrics.loss = 0", List.of()),
                arguments("metrics.acc != -1", List.of("r5", "r4", "r2", "r1")),
                arguments("run_id IN ('nope')", List.of()),
                arguments("tags.env IS NOT NULL", List.of("r5", "r1")),
                arguments("params.model != 'CNN'", List.of("r5", "r2")),
                arguments("datasets.name ILIKE 'MNIST'", List.of("r2", "r1")),
                arguments("datasets.digest LIKE 'd%'", List.of("r3", "r2", "r1")),
                arguments("datasets.context IN ('eval', 'training')", List.of("r2", "r1")),
                arguments("datasets.context NOT IN ('eval')", List.of("r1")),
                arguments("params.note = \"O'Brien\"", List.of("r3")),
                arguments("params.note LIKE \"%'%\"", List.of("r3")),
                arguments("params.note != 'x'", List.of("r3")),
                arguments("params.lr LIKE '0.0%' AND params.note IS NULL", List.of("r1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void filterSelectsWhatMlflowSelects(String filter, List<String> expected) {
        assertThat(names(filter, List.of())).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> orders() {
        return Stream.of(
                arguments(List.of("metrics.acc"), List.of("r3", "r2", "r1", "r5", "r4")),
                arguments(List.of("metrics.acc DESC"), List.of("r5", "r1", "r2", "r3", "r4")),
                arguments(List.of("metrics.loss"), List.of("r5", "r1", "r2", "r3", "r4")),
                arguments(List.of("metrics.loss DESC"), List.of("r1", "r5", "r2", "r3", "r4")),
                arguments(List.of("params.lr"), List.of("r3", "r1", "r2", "r5", "r4")),
                arguments(List.of("params.lr DESC"), List.of("r2", "r1", "r3", "r5", "r4")),
                arguments(List.of("params.model"), List.of("r1", "r2", "r5", "r3", "r4")),
                arguments(List.of("tags.team"), List.of("r3", "r2", "r1", "r5", "r4")),
                arguments(List.of("tags.team DESC"), List.of("r1", "r2", "r3", "r5", "r4")),
                arguments(List.of("start_time"), List.of("r1", "r2", "r4", "r3", "r5")),
                arguments(List.of("start_time ASC"), List.of("r1", "r2", "r4", "r3", "r5")),
                arguments(List.of("created DESC"), List.of("r5", "r3", "r4", "r2", "r1")),
                arguments(List.of("end_time"), List.of("r1", "r3", "r5", "r4", "r2")),
                arguments(List.of("end_time DESC"), List.of("r3", "r1", "r5", "r4", "r2")),
                arguments(List.of("run_name DESC"), List.of("r5", "r4", "r3", "r2", "r1")),
                arguments(List.of("status"), List.of("r3", "r1", "r5", "r4", "r2")),
                arguments(List.of("user_id", "metrics.acc DESC"), List.of("r5", "r1", "r3", "r2", "r4")),
                arguments(List.of("user_id DESC", "run_name"), List.of("r4", "r2", "r1", "r3", "r5")),
                arguments(List.of("`metrics`.`acc` DESC"), List.of("r5", "r1", "r2", "r3", "r4")),
                arguments(List.of("metrics.missing"), List.of("r5", "r3", "r4", "r2", "r1")),
                arguments(List.of("params.model DESC"), List.of("r5", "r2", "r1", "r3", "r4")),
                arguments(List.of("tags.env"), List.of("r5", "r1", "r3", "r4", "r2")),
                arguments(List.of("tags.env DESC"), List.of("r1", "r5", "r3", "r4", "r2")),
                arguments(List.of("user_id"), List.of("r5", "r3", "r1", "r2", "r4")),
                arguments(List.of("status DESC"), List.of("r5", "r4", "r2", "r1", "r3")),
                arguments(List.of("end_time", "metrics.acc"), List.of("r1", "r3", "r2", "r5", "r4")),
                arguments(List.of("Created"), List.of("r1", "r2", "r4", "r3", "r5")),
                arguments(List.of("params.note"), List.of("r3", "r5", "r4", "r2", "r1")),
                arguments(List.of("params.lr DESC", "params.note"), List.of("r2", "r1", "r3", "r5", "r4")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("orders")
    void orderByOrdersAsMlflowDoes(List<String> orderBy, List<String> expected) {
        assertThat(names(null, orderBy)).containsExactlyElementsOf(expected);
    }

    @Test
    void defaultOrderIsNewestFirstAndSkipsDeletedRuns() {
        assertThat(names(null, List.of())).containsExactly("r5", "r3", "r4", "r2", "r1");
    }

    @Test
    void viewTypeSelectsLifecycleStages() {
        assertThat(names(search(List.of(exp), null, ViewType.ALL, List.of(), 100, null)))
                .containsExactly("r6", "r5", "r3", "r4", "r2", "r1");
        assertThat(names(search(List.of(exp), null, ViewType.DELETED_ONLY, List.of(), 100, null)))
                .containsExactly("r6");
    }

    @Test
    void searchesSeveralExperimentsAtOnce() {
        assertThat(names(search(List.of(exp, other), "metrics.acc >= 0.5", ViewType.ACTIVE_ONLY, List.of(), 100, null)))
                .containsExactly("r7", "r5", "r2", "r1");
        assertThat(search(List.of(), null, ViewType.ALL, List.of(), 100, null).items())
                .isEmpty();
    }

    /**
     * Experiments share one database, and so one metric index: a search must see only its own
     * experiments' runs, whether it filters on the metric, orders by it, or both, and pages of a
     * metric order over several experiments must join up to their one whole order.
     */
    @Test
    void experimentsSharingTheDatabaseStayApart() {
        String crowd = store.createExperiment("crowd", null, List.of());
        // many runs of another experiment with better values of the same metrics
        for (int i = 0; i < 30; i++) {
            runs.run(crowd, "c" + i, 10_000 + i)
                    .metric("acc", 2.0 + i)
                    .metric("loss", -5.0)
                    .log();
        }
        assertThat(names("metrics.acc > 1", List.of())).containsExactly("r5");
        assertThat(names("metrics.acc = 0.5", List.of())).isEmpty();
        assertThat(names(search(List.of(exp), null, ViewType.ACTIVE_ONLY, List.of("metrics.acc DESC"), 2, null)))
                .containsExactly("r5", "r1");
        assertThat(names(search(
                        List.of(other), "metrics.acc > 0", ViewType.ACTIVE_ONLY, List.of("metrics.acc"), 1, null)))
                .containsExactly("r7");
        List<String> both = List.of(exp, other);
        assertThat(names(search(both, null, ViewType.ACTIVE_ONLY, List.of("metrics.acc DESC"), 100, null)))
                .containsExactly("r5", "r1", "r2", "r7", "r3", "r4");
        assertThat(names(search(both, "metrics.acc < 0.8", ViewType.ALL, List.of("metrics.acc"), 100, null)))
                .containsExactly("r3", "r7", "r2");
        for (String order : List.of("metrics.acc", "metrics.acc DESC", "metrics.loss DESC")) {
            for (String filter : java.util.Arrays.asList(null, "metrics.acc != -1", "params.model != 'CNN'")) {
                List<String> whole = names(search(both, filter, ViewType.ALL, List.of(order), 1000, null));
                for (int max = 1; max <= 3; max++) {
                    List<String> paged = new ArrayList<>();
                    String token = null;
                    do {
                        Page<Run> page = search(both, filter, ViewType.ALL, List.of(order), max, token);
                        assertThat(page.items()).hasSizeLessThanOrEqualTo(max);
                        paged.addAll(names(page));
                        token = page.nextPageToken();
                    } while (token != null);
                    assertThat(paged)
                            .as("%s | %s | %d per page", order, filter, max)
                            .containsExactlyElementsOf(whole);
                }
            }
        }
        assertThat(names(search(both, null, ViewType.ALL, List.of("metrics.acc DESC"), 100, null)))
                .containsExactly("r5", "r6", "r1", "r2", "r7", "r3", "r4");
        assertThat(names(search(List.of(crowd, crowd), null, ViewType.ALL, List.of("metrics.acc DESC"), 2, null)))
                .containsExactly("c29", "c28");
    }

    @Test
    void filtersOnRunIds() {
        String r1 = runs.id("r1");
        String r3 = runs.id("r3");
        assertThat(names("run_id = '" + r1 + "'", List.of())).containsExactly("r1");
        assertThat(names("attributes.run_id != '" + r1 + "'", List.of())).containsExactly("r5", "r3", "r4", "r2");
        assertThat(names("run_id IN ('" + r1 + "', '" + r3 + "')", List.of())).containsExactly("r3", "r1");
        assertThat(names("run_id NOT IN ('" + r1 + "', '" + r3 + "')", List.of()))
                .containsExactly("r5", "r4", "r2");
    }

    @Test
    void ordersByRunIdAsText() {
        List<String> ids = new ArrayList<>(
                Stream.of("r1", "r2", "r3", "r4", "r5").map(runs::id).toList());
        ids.sort(null);
        assertThat(search(List.of(exp), null, ViewType.ACTIVE_ONLY, List.of("attributes.run_id"), 100, null)
                        .items())
                .extracting(r -> r.info().runId())
                .containsExactlyElementsOf(ids);
    }

    @Test
    void pagesThroughRunsWithEqualStartTimesInRunIdOrder() {
        String paged = store.createExperiment("paged", null, List.of());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(runs.run(paged, "p" + i, 100).log());
        }
        ids.sort(null);
        List<List<String>> pages = new ArrayList<>();
        String token = null;
        do {
            Page<Run> page = search(List.of(paged), null, ViewType.ACTIVE_ONLY, List.of(), 4, token);
            pages.add(page.items().stream().map(r -> r.info().runId()).toList());
            token = page.nextPageToken();
        } while (token != null);
        assertThat(pages).containsExactly(ids.subList(0, 4), ids.subList(4, 8), ids.subList(8, 10));
    }

    @Test
    void aFullLastPageHasNoToken() {
        // MLflow 3.x fetches one run more than asked and gives a token only when it came back.
        Page<Run> first = search(List.of(exp), null, ViewType.ACTIVE_ONLY, List.of(), 3, null);
        Page<Run> last = search(List.of(exp), null, ViewType.ACTIVE_ONLY, List.of(), 3, first.nextPageToken());
        assertThat(names(first)).containsExactly("r5", "r3", "r4");
        assertThat(names(last)).containsExactly("r2", "r1");
        assertThat(last.nextPageToken()).isNull();
        Page<Run> exact = search(List.of(exp), null, ViewType.ACTIVE_ONLY, List.of(), 5, null);
        assertThat(exact.items()).hasSize(5);
        assertThat(exact.nextPageToken()).isNull();
    }

    @Test
    void returnsWholeRuns() {
        Run r1 = search(List.of(exp), "run_name = 'r1'", ViewType.ACTIVE_ONLY, List.of(), 10, null)
                .items()
                .getFirst();
        assertThat(r1.data().params()).hasSize(2);
        assertThat(r1.inputs())
                .singleElement()
                .satisfies(i -> assertThat(i.dataset().name()).isEqualTo("mnist"));
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                arguments(
                        "params.lr > '0'",
                        List.of(),
                        10,
                        "Invalid comparator '>' not one of '{'!=', '=', 'LIKE',"
                                + " 'ILIKE', 'IS NULL', 'IS NOT NULL'}'"),
                arguments(
                        "metrics.acc > 1 OR params.lr = 'x'",
                        List.of(),
                        10,
                        "Invalid clause(s) in filter string: 'OR'"),
                arguments(
                        null,
                        List.of("metrics.acc", "metrics.acc DESC"),
                        10,
                        "`order_by` contains duplicate fields: ['metrics.acc', 'metrics.acc DESC']"),
                arguments(null, List.of("datasets.name"), 10, "Invalid identifier type 'dataset'"),
                arguments(
                        "params.lr > '0'",
                        List.of("foo"),
                        0,
                        "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer"),
                arguments(
                        null,
                        List.of(),
                        50001,
                        "Invalid value 50001 for parameter 'max_results' supplied. It must be at most 50000"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("invalidRequests")
    void rejectsInvalidRequestsWithMlflowsMessage(String filter, List<String> orderBy, int maxResults, String message) {
        assertThatThrownBy(() -> search(List.of(exp), filter, ViewType.ACTIVE_ONLY, orderBy, maxResults, null))
                .isInstanceOfSatisfying(MlflowException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void rejectsAnExperimentIdThatIsNotANumber() {
        assertThatThrownBy(() -> search(List.of("abc"), null, ViewType.ACTIVE_ONLY, List.of(), 10, null))
                .isInstanceOf(MlflowException.class)
                .hasMessage("Invalid experiment ID 'abc'. Experiment ID must be a valid integer.");
    }

    /** The names of the active runs of the main experiment that match, in search order. */
    static Stream<Arguments> pagedMetricOrders() {
        return Stream.of("metrics.acc", "metrics.acc DESC", "metrics.loss", "metrics.loss DESC", "metrics.missing DESC")
                .flatMap(order -> Stream.of(null, "metrics.acc != -1", "params.model != 'CNN'", "tags.env IS NOT NULL")
                        .flatMap(filter -> Stream.of(1, 2, 3).map(max -> arguments(order, filter, max))));
    }

    /**
     * Small pages take the index walk for metric orders until it runs out of runs with a number for
     * the metric (NaN and missing values come last): every page boundary must agree with one query
     * for everything.
     */
    @ParameterizedTest(name = "{0} | {1} | {2} per page")
    @MethodSource("pagedMetricOrders")
    void pagesOfAMetricOrderJoinUpToTheWholeOrder(String order, String filter, int max) {
        List<String> whole = names(filter, List.of(order));
        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            Page<Run> page = search(List.of(exp), filter, ViewType.ACTIVE_ONLY, List.of(order), max, token);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(max);
            paged.addAll(names(page));
            token = page.nextPageToken();
        } while (token != null);
        assertThat(paged).containsExactlyElementsOf(whole);
    }

    protected List<String> names(String filter, List<String> orderBy) {
        return names(search(List.of(exp), filter, ViewType.ACTIVE_ONLY, orderBy, 1000, null));
    }

    private List<String> names(Page<Run> page) {
        return runs.names(page.items().stream().map(r -> r.info().runId()).toList());
    }

    private Page<Run> search(
            List<String> experimentIds, String filter, ViewType view, List<String> orderBy, int max, String token) {
        return store.searchRuns(new RunQuery(experimentIds, filter, view, max, orderBy, token));
    }
}
