package io.reprise.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.reprise.model.ErrorCode;
import io.reprise.model.MlflowException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Experiment filters against MLflow 3.17.2, each row checked with a real
 * {@code SqlAlchemyStore.search_experiments}. Unlike run search, comparators are not
 * upper-cased, so {@code like} is rejected.
 */
class SearchFilterExperimentsTest {

    static Stream<Arguments> validFilters() {
        return Stream.of(
                arguments("name = 'alpha'", "attribute.`name` = 'alpha'"),
                arguments("name != \"alpha\"", "attribute.`name` != 'alpha'"),
                arguments("name LIKE 'a%'", "attribute.`name` LIKE 'a%'"),
                arguments("name ILIKE 'A%'", "attribute.`name` ILIKE 'A%'"),
                arguments("attribute.name = 'x'", "attribute.`name` = 'x'"),
                arguments("experiment_id = '1'", "attribute.`experiment_id` = 1"),
                arguments("experiment_id != '0'", "attribute.`experiment_id` != 0"),
                arguments("experiment_id IN ('1', '2')", "attribute.`experiment_id` IN ('1', '2')"),
                arguments("experiment_id NOT IN ('1')", "attribute.`experiment_id` NOT IN ('1',)"),
                arguments("experiment_id = ' 7 '", "attribute.`experiment_id` = 7"),
                arguments("creation_time > 1000", "attribute.`creation_time` > 1000"),
                arguments("creation_time >= -1", "attribute.`creation_time` >= -1"),
                arguments("last_update_time != 5", "attribute.`last_update_time` != 5"),
                arguments("last_update_time <= 99", "attribute.`last_update_time` <= 99"),
                arguments("tags.team = 'vision'", "tag.`team` = 'vision'"),
                arguments("tag.team != 'x'", "tag.`team` != 'x'"),
                arguments("tags.`a b` LIKE 'v%'", "tag.`a b` LIKE 'v%'"),
                arguments("tags.\"mlflow.note\" ILIKE '%x%'", "tag.`mlflow.note` ILIKE '%x%'"),
                arguments("tags.team IS NULL", "tag.`team` IS NULL"),
                arguments("tags.team IS NOT NULL", "tag.`team` IS NOT NULL"),
                arguments(
                        "name = 'a' AND tags.team = 'vision' and creation_time > 0",
                        "attribute.`name` = 'a' AND tag.`team` = 'vision' AND attribute.`creation_time` > 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFilters")
    void parsesValidFiltersAsMlflowDoes(String filter, String clauses) {
        assertThat(Printing.joined(SearchFilter.parseExperiments(filter))).isEqualTo(clauses);
    }

    static Stream<Arguments> invalidFilters() {
        return Stream.of(
                arguments("name = 'x' OR tags.a = 'y'", "Invalid clause(s) in filter string: OR"),
                arguments(
                        "name = x",
                        "Parameter value is either not quoted or unidentified quote types used for string value x. Use either single or double quotes."),
                arguments(
                        "foo = 'x'",
                        "Invalid attribute key 'foo' specified. Valid keys are '{'name', 'experiment_id', 'creation_time', 'last_update_time'}'"),
                arguments(
                        "run_id = 'x'",
                        "Invalid attribute key 'run_id' specified. Valid keys are '{'name', 'experiment_id', 'creation_time', 'last_update_time'}'"),
                arguments(
                        "params.a = 'x'",
                        "Invalid entity type 'params'. Valid entity types are ('attribute', 'tag', 'tags')"),
                arguments(
                        "metrics.a > 1",
                        "Invalid entity type 'metrics'. Valid entity types are ('attribute', 'tag', 'tags')"),
                arguments(
                        "attributes.name = 'x'",
                        "Invalid entity type 'attributes'. Valid entity types are ('attribute', 'tag', 'tags')"),
                arguments(
                        "`tags`.a = 'x'",
                        "Invalid entity type '`tags`'. Valid entity types are ('attribute', 'tag', 'tags')"),
                arguments(
                        "name IN ('a', 'b')",
                        "Only ['experiment_id'] attributes support comparison with a list of quoted string values."),
                arguments("name IS NULL", "IS NULL / IS NOT NULL is only supported for tags, not for attribute 'name'"),
                arguments("experiment_id = 1", "Expected a quoted string value for attributes. Got value 1"),
                arguments(
                        "experiment_id = 'abc'", "Invalid experiment ID 'abc'. Experiment ID must be a valid integer."),
                arguments(
                        "experiment_id IN ('1', 'x')",
                        "Invalid experiment ID 'x'. Experiment ID must be a valid integer."),
                arguments("experiment_id > '1'", "Invalid comparator for experiment_id: >"),
                arguments("experiment_id in ('1')", "Invalid comparator for experiment_id: in"),
                arguments("experiment_id LIKE '1%'", "Invalid comparator for experiment_id: LIKE"),
                arguments(
                        "name like 'a%'",
                        "Invalid comparator 'like' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'"),
                arguments(
                        "name ilike 'a%'",
                        "Invalid comparator 'ilike' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'"),
                arguments(
                        "name > 'a'",
                        "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'"),
                arguments(
                        "name NOT LIKE 'a'",
                        "Invalid comparator 'NOT LIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'"),
                arguments(
                        "creation_time > '1'",
                        "Expected numeric value type for numeric attribute: creation_time. Found '1'"),
                arguments("creation_time > 1.5", "Invalid value for numeric attribute 'creation_time': '1.5'"),
                arguments("creation_time > 1e3", "Invalid value for numeric attribute 'creation_time': '1000.0'"),
                arguments(
                        "creation_time LIKE 1",
                        "Invalid comparator 'LIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}"),
                arguments(
                        "last_update_time == 1",
                        "Invalid comparator '==' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}"),
                arguments("tags.a > 'x'", "Invalid comparator for tag: >"),
                arguments("tags.a like 'x'", "Invalid comparator for tag: like"),
                arguments("tags.a = 1", "Expected a quoted string value for tag (e.g. 'my-value'). Got value 1"),
                arguments(
                        "tags.a IN ('x')",
                        "Expected a quoted string value for tag (e.g. 'my-value'). Got value ('x')"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFilters")
    void rejectsInvalidFiltersWithMlflowsMessage(String filter, String message) {
        assertThatThrownBy(() -> SearchFilter.parseExperiments(filter))
                .isInstanceOfSatisfying(MlflowException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void readsExperimentIdsAsIntegers() {
        assertThat(SearchFilter.parseExperiments("experiment_id IN ('1', ' 2 ') AND experiment_id != '3'"))
                .containsExactly(
                        new Clause(
                                Entity.ATTRIBUTE,
                                "experiment_id",
                                Comparator.IN,
                                new Operand.WholeList(List.of(1L, 2L))),
                        new Clause(Entity.ATTRIBUTE, "experiment_id", Comparator.NE, new Operand.Whole(3)));
    }
}
