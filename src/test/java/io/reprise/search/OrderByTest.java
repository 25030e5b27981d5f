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
 * order_by clauses against MLflow 3.17.2 (each row checked with a real SqlAlchemyStore). The
 * parsed keys include MLflow's implicit tie-breakers.
 */
class OrderByTest {

    static Stream<Arguments> validRunOrders() {
        return Stream.of(
                arguments("metrics.acc", "[metric.`acc` ASC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments(
                        "metrics.acc DESC", "[metric.`acc` DESC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments(
                        "metric.acc desc", "[metric.`acc` DESC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments(
                        "metrics.`model acc` Desc",
                        "[metric.`model acc` DESC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments(
                        "metrics.\"model acc\" ASC",
                        "[metric.`model acc` ASC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments(
                        "`metrics`.`acc` DESC",
                        "[metric.`acc` DESC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments("metrics.'acc'", "[metric.`acc` ASC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments("params.lr", "[parameter.`lr` ASC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments(
                        "parameters.lr DESC",
                        "[parameter.`lr` DESC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments(
                        "tags.mlflow.runName",
                        "[tag.`mlflow.runName` ASC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments(
                        "tag.`mlflow.runName` DESC",
                        "[tag.`mlflow.runName` DESC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments("start_time", "[attribute.`start_time` ASC, attribute.`run_id` ASC]"),
                arguments("created", "[attribute.`start_time` ASC, attribute.`run_id` ASC]"),
                arguments("Created DESC", "[attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments(
                        "run_name", "[attribute.`run_name` ASC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments(
                        "attributes.run_id DESC",
                        "[attribute.`run_id` DESC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments(
                        "attr.status", "[attribute.`status` ASC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments(
                        "user_id ASC",
                        "[attribute.`user_id` ASC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments(
                        "end_time", "[attribute.`end_time` ASC, attribute.`start_time` DESC, attribute.`run_id` ASC]"),
                arguments(
                        "artifact_uri DESC",
                        "[attribute.`artifact_uri` DESC, attribute.`start_time` DESC, attribute.`run_id` ASC]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRunOrders")
    void parsesRunOrderAsMlflowDoes(String clause, String keys) {
        assertThat(OrderBy.parseRuns(List.of(clause))).hasToString(keys);
    }

    static Stream<Arguments> invalidRunOrders() {
        return Stream.of(
                arguments(
                        "metrics.acc DESC NULLS LAST",
                        "Invalid order_by clause 'metrics.acc DESC NULLS LAST'. Could not be parsed."),
                arguments("metrics.acc DOWN", "Invalid ordering key in order_by clause 'metrics.acc DOWN'."),
                arguments(
                        "metrics.acc DESC ASC", "Invalid order_by clause 'metrics.acc DESC ASC'. Could not be parsed."),
                arguments(" metrics.acc", "Invalid order_by clause ' metrics.acc'. Could not be parsed."),
                arguments("metrics.acc ", "Invalid order_by clause 'metrics.acc '. Could not be parsed."),
                arguments(
                        "metrics.acc, params.lr",
                        "Invalid order_by clause 'metrics.acc, params.lr'. Could not be parsed."),
                arguments("'metrics.acc'", "Invalid order_by clause ''metrics.acc''. Could not be parsed."),
                arguments(
                        "foo",
                        "Invalid attribute key 'foo' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created'}'"),
                arguments(
                        "foo.bar",
                        "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']"),
                arguments(
                        "`run name`",
                        "Invalid attribute key 'run name' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created'}'"),
                arguments(
                        "name",
                        "Invalid attribute key 'name' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created'}'"),
                arguments("datasets.name", "Invalid identifier type 'dataset'"),
                arguments("metrics.from", "Invalid order_by clause 'metrics.from'. Could not be parsed."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRunOrders")
    void rejectsInvalidRunOrderWithMlflowsMessage(String clause, String message) {
        assertInvalid(() -> OrderBy.parseRuns(List.of(clause)), message);
    }

    static Stream<Arguments> validExperimentOrders() {
        return Stream.of(
                arguments("name", "[attribute.`name` ASC, attribute.`experiment_id` DESC]"),
                arguments("name DESC", "[attribute.`name` DESC, attribute.`experiment_id` DESC]"),
                arguments("attribute.name asc", "[attribute.`name` ASC, attribute.`experiment_id` DESC]"),
                arguments("experiment_id DESC", "[attribute.`experiment_id` DESC]"),
                arguments("creation_time", "[attribute.`creation_time` ASC, attribute.`experiment_id` DESC]"),
                arguments(
                        "last_update_time DESC",
                        "[attribute.`last_update_time` DESC, attribute.`experiment_id` DESC]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExperimentOrders")
    void parsesExperimentOrderAsMlflowDoes(String clause, String keys) {
        assertThat(OrderBy.parseExperiments(List.of(clause))).hasToString(keys);
    }

    static Stream<Arguments> invalidExperimentOrders() {
        return Stream.of(
                arguments("tags.team", "Invalid order_by entity: tag"),
                arguments(
                        "metrics.a",
                        "Invalid entity type 'metrics'. Valid entity types are ('attribute', 'tag', 'tags')"),
                arguments(
                        "start_time",
                        "Invalid attribute key 'start_time' specified. Valid keys are '{'name', 'experiment_id', 'creation_time', 'last_update_time'}'"),
                arguments("name DOWN", "Invalid ordering key in order_by clause 'name DOWN'."),
                arguments("name,experiment_id", "Invalid order_by clause 'name,experiment_id'. Could not be parsed."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExperimentOrders")
    void rejectsInvalidExperimentOrderWithMlflowsMessage(String clause, String message) {
        assertInvalid(() -> OrderBy.parseExperiments(List.of(clause)), message);
    }

    @Test
    void defaultsToNewestRunFirstThenRunId() {
        assertThat(OrderBy.parseRuns(null)).hasToString("[attribute.`start_time` DESC, attribute.`run_id` ASC]");
    }

    @Test
    void defaultsToNewestExperimentFirstThenExperimentId() {
        assertThat(OrderBy.parseExperiments(List.of()))
                .hasToString("[attribute.`creation_time` DESC, attribute.`experiment_id` ASC]");
    }

    @Test
    void rejectsARunKeyGivenTwiceEvenUnderAnAlias() {
        // MLflow raises this one without an error code (a 500); we keep the message, as a 400.
        assertInvalid(
                () -> OrderBy.parseRuns(List.of("created", "start_time DESC")),
                "`order_by` contains duplicate fields: ['created', 'start_time DESC']");
    }

    @Test
    void allowsAnExperimentKeyTwiceAsMlflowDoes() {
        assertThat(OrderBy.parseExperiments(List.of("name", "name DESC")))
                .hasToString("[attribute.`name` ASC, attribute.`name` DESC, attribute.`experiment_id` DESC]");
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MlflowException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
