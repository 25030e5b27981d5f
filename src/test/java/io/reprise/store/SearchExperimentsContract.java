package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.reprise.model.ErrorCode;
import io.reprise.model.Experiment;
import io.reprise.model.MlflowException;
import io.reprise.model.Page;
import io.reprise.model.Tag;
import io.reprise.model.ViewType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Search-experiments behaviour every store must have, checked against MLflow 3.17.2's
 * SqlAlchemyStore on the same experiments. Experiments are created a few milliseconds apart, so
 * creation order is also creation_time order (the "Default" experiment comes first).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SearchExperimentsContract {
    private TrackingStore store;
    private final Map<String, String> ids = new HashMap<>();

    /** A new store with nothing but the "Default" experiment in it. */
    protected abstract TrackingStore newStore();

    @BeforeAll
    void createExperiments() throws InterruptedException {
        store = newStore();
        ids.put("Default", "0");
        create("alpha", new Tag("team", "vision"), new Tag("env", "prod"));
        create("Beta", new Tag("team", "nlp"));
        create("ab", new Tag("team", "Vision"));
        create("gamma_1");
        store.deleteExperiment(create("deleted-one", new Tag("team", "vision")));
    }

    private String create(String name, Tag... tags) throws InterruptedException {
        Thread.sleep(3); // distinct creation times
        String id = store.createExperiment(name, null, List.of(tags));
        ids.put(name, id);
        return id;
    }

    @AfterAll
    void closeStore() {
        store.close();
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                arguments("name = 'alpha'", List.of("alpha")),
                arguments("name != 'alpha'", List.of("gamma_1", "ab", "Beta", "Default")),
                arguments("name LIKE 'a%'", List.of("ab", "alpha")),
                arguments("name LIKE 'A%'", List.of()),
                arguments("name ILIKE 'A%'", List.of("ab", "alpha")),
                arguments("attribute.name LIKE '%_1'", List.of("gamma_1")),
                arguments("name ILIKE 'def%'", List.of("Default")),
                arguments("tags.team = 'vision'", List.of("alpha")),
                arguments("tags.team != 'vision'", List.of("ab", "Beta")),
                arguments("tags.team LIKE 'v%'", List.of("alpha")),
                arguments("tags.team ILIKE 'VISION'", List.of("ab", "alpha")),
                arguments("tags.team IS NULL", List.of("gamma_1", "Default")),
                arguments("tags.team IS NOT NULL", List.of("ab", "Beta", "alpha")),
                arguments("tags.env != 'x'", List.of("alpha")),
                arguments("tag.team = 'nlp'", List.of("Beta")),
                arguments("tags.`team` = 'vision' AND name LIKE 'a%'", List.of("alpha")),
                arguments("experiment_id = '0'", List.of("Default")),
                arguments("experiment_id != '0'", List.of("gamma_1", "ab", "Beta", "alpha")),
                arguments("creation_time > 0", List.of("gamma_1", "ab", "Beta", "alpha", "Default")),
                arguments("last_update_time < 0", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void filterSelectsWhatMlflowSelects(String filter, List<String> expected) {
        assertThat(names(filter, List.of())).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> orders() {
        return Stream.of(
                arguments(List.of(), List.of("gamma_1", "ab", "Beta", "alpha", "Default")),
                // Byte order: upper case before lower case.
                arguments(List.of("name"), List.of("Beta", "Default", "ab", "alpha", "gamma_1")),
                arguments(List.of("name DESC"), List.of("gamma_1", "alpha", "ab", "Default", "Beta")),
                arguments(List.of("experiment_id"), List.of("Default", "alpha", "Beta", "ab", "gamma_1")),
                arguments(List.of("experiment_id DESC"), List.of("gamma_1", "ab", "Beta", "alpha", "Default")),
                arguments(List.of("creation_time"), List.of("Default", "alpha", "Beta", "ab", "gamma_1")),
                arguments(List.of("last_update_time DESC"), List.of("gamma_1", "ab", "Beta", "alpha", "Default")),
                arguments(
                        List.of("attribute.name asc", "experiment_id"),
                        List.of("Beta", "Default", "ab", "alpha", "gamma_1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("orders")
    void orderByOrdersAsMlflowDoes(List<String> orderBy, List<String> expected) {
        assertThat(names(null, orderBy)).containsExactlyElementsOf(expected);
    }

    @Test
    void viewTypeSelectsLifecycleStages() {
        assertThat(names(search("tags.team = 'vision'", ViewType.ALL, List.of(), 100, null)))
                .containsExactly("deleted-one", "alpha");
        assertThat(names(search(null, ViewType.DELETED_ONLY, List.of(), 100, null)))
                .containsExactly("deleted-one");
    }

    @Test
    void filtersOnExperimentIds() {
        String alpha = ids.get("alpha");
        String ab = ids.get("ab");
        assertThat(names("experiment_id = '" + alpha + "'", List.of())).containsExactly("alpha");
        assertThat(names("experiment_id IN ('" + alpha + "', '" + ab + "')", List.of()))
                .containsExactly("ab", "alpha");
        assertThat(names("experiment_id NOT IN ('0', '" + alpha + "')", List.of()))
                .containsExactly("gamma_1", "ab", "Beta");
    }

    @Test
    void filtersOnTimes() {
        long beta = store.getExperiment(ids.get("Beta")).creationTime();
        assertThat(names("creation_time > " + beta, List.of())).containsExactly("gamma_1", "ab");
        assertThat(names("creation_time >= " + beta, List.of())).containsExactly("gamma_1", "ab", "Beta");
        assertThat(names("creation_time != " + beta, List.of())).containsExactly("gamma_1", "ab", "alpha", "Default");
        assertThat(names("last_update_time <= " + beta, List.of())).containsExactly("Beta", "alpha", "Default");
    }

    @Test
    void pagesGiveATokenOnlyWhenMoreExperimentsExist() {
        List<List<String>> pages = new ArrayList<>();
        String token = null;
        do {
            Page<Experiment> page = search(null, ViewType.ACTIVE_ONLY, List.of(), 2, token);
            pages.add(names(page));
            token = page.nextPageToken();
        } while (token != null);
        assertThat(pages).containsExactly(List.of("gamma_1", "ab"), List.of("Beta", "alpha"), List.of("Default"));
        assertThat(search(null, ViewType.ACTIVE_ONLY, List.of(), 5, null).nextPageToken())
                .isNull();
    }

    @Test
    void returnsExperimentsWithTheirTags() {
        Experiment alpha = search("name = 'alpha'", ViewType.ACTIVE_ONLY, List.of(), 10, null)
                .items()
                .getFirst();
        assertThat(alpha.tags()).containsExactly(new Tag("env", "prod"), new Tag("team", "vision"));
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                arguments(
                        "name like 'a%'",
                        List.of(),
                        10,
                        "Invalid comparator 'like' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'"),
                arguments(
                        "experiment_id = 'abc'",
                        List.of(),
                        10,
                        "Invalid experiment ID 'abc'. Experiment ID must be a valid integer."),
                arguments(
                        "creation_time > 1.5",
                        List.of(),
                        10,
                        "Invalid value for numeric attribute 'creation_time': '1.5'"),
                arguments(
                        "params.a = 'x'",
                        List.of(),
                        10,
                        "Invalid entity type 'params'. Valid entity types are ('attribute', 'tag', 'tags')"),
                arguments(null, List.of("tags.team"), 10, "Invalid order_by entity: tag"),
                arguments(
                        "name like 'a%'",
                        List.of("tags.team"),
                        0,
                        "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("invalidRequests")
    void rejectsInvalidRequestsWithMlflowsMessage(String filter, List<String> orderBy, int maxResults, String message) {
        assertThatThrownBy(() -> search(filter, ViewType.ACTIVE_ONLY, orderBy, maxResults, null))
                .isInstanceOfSatisfying(MlflowException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    private List<String> names(String filter, List<String> orderBy) {
        return names(search(filter, ViewType.ACTIVE_ONLY, orderBy, 1000, null));
    }

    private static List<String> names(Page<Experiment> page) {
        return page.items().stream().map(Experiment::name).toList();
    }

    private Page<Experiment> search(String filter, ViewType view, List<String> orderBy, int max, String token) {
        return store.searchExperiments(new ExperimentQuery(filter, view, max, orderBy, token));
    }
}
