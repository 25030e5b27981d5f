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
import org.junit.jupiter.params.provider.NullAndEmptySource;

/**
 * Run filters against MLflow 3.17.2: every row was checked with
 * {@code SearchUtils.parse_search_filter} and a real {@code SqlAlchemyStore.search_runs}.
 * Valid filters are shown as the clauses they parse to, printed back in filter syntax.
 * Python prints sets in a random order; messages here list them in a fixed one.
 */
class SearchFilterRunsTest {

    static Stream<Arguments> validFilters() {
        return Stream.of(
                arguments("metrics.acc > 0.9", "metric.`acc` > 0.9"),
                arguments("metric.acc >= 1e3", "metric.`acc` >= 1000.0"),
                arguments("metrics.`acc` < -1", "metric.`acc` < -1.0"),
                arguments("metrics.\"model acc\" <= .5", "metric.`model acc` <= 0.5"),
                arguments("metrics.acc = 1.", "metric.`acc` = 1.0"),
                arguments("metrics.acc != 0", "metric.`acc` != 0.0"),
                arguments("params.lr = '0.01'", "parameter.`lr` = '0.01'"),
                arguments("param.lr = \"0.01\"", "parameter.`lr` = '0.01'"),
                arguments("parameters.lr != ''", "parameter.`lr` != ''"),
                arguments("parameter.`learning rate` LIKE '0.0%'", "parameter.`learning rate` LIKE '0.0%'"),
                arguments("params.lr like '0.0%'", "parameter.`lr` LIKE '0.0%'"),
                arguments("params.lr ILIKE 'A%'", "parameter.`lr` ILIKE 'A%'"),
                arguments("params.lr IS NULL", "parameter.`lr` IS NULL"),
                arguments("params.lr is not null", "parameter.`lr` IS NOT NULL"),
                arguments("tags.mlflow.runName = 'r1'", "tag.`mlflow.runName` = 'r1'"),
                arguments("tag.\"mlflow.user\" != 'x'", "tag.`mlflow.user` != 'x'"),
                arguments("tags.`team` ILIKE 'vision'", "tag.`team` ILIKE 'vision'"),
                arguments("tags.team IS NOT NULL", "tag.`team` IS NOT NULL"),
                arguments("`tags`.`a b` = 'x'", "tag.`a b` = 'x'"),
                arguments("status = 'RUNNING'", "attribute.`status` = 'RUNNING'"),
                arguments("attribute.status != \"FAILED\"", "attribute.`status` != 'FAILED'"),
                arguments("attributes.user_id LIKE 'a%'", "attribute.`user_id` LIKE 'a%'"),
                arguments("attr.artifact_uri ILIKE '%/artifacts'", "attribute.`artifact_uri` ILIKE '%/artifacts'"),
                arguments("run.run_id = 'abc'", "attribute.`run_id` = 'abc'"),
                arguments("run_id IN ('a', 'b')", "attribute.`run_id` IN ('a', 'b')"),
                arguments("run_id in (\"a\",)", "attribute.`run_id` IN ('a',)"),
                arguments("run_id NOT IN ('a')", "attribute.`run_id` NOT IN ('a',)"),
                arguments("run_id not in ('a' 'b')", "attribute.`run_id` NOT IN ('ab',)"),
                arguments("run_name = 'r1'", "attribute.`run_name` = 'r1'"),
                arguments("`run name` = 'r1'", "attribute.`run_name` = 'r1'"),
                arguments("`Run name` LIKE 'r%'", "attribute.`run_name` LIKE 'r%'"),
                arguments("\"Run Name\" != 'x'", "attribute.`run_name` != 'x'"),
                arguments("start_time > 1000", "attribute.`start_time` > 1000"),
                arguments("created >= 1000", "attribute.`start_time` >= 1000"),
                arguments("Created < 1.5", "attribute.`start_time` < 1.5"),
                arguments("end_time = 0", "attribute.`end_time` = 0"),
                arguments("start_time != -5", "attribute.`start_time` != -5"),
                arguments("datasets.name = 'mnist'", "dataset.`name` = 'mnist'"),
                arguments("dataset.digest != 'd1'", "dataset.`digest` != 'd1'"),
                arguments("datasets.context LIKE 'train%'", "dataset.`context` LIKE 'train%'"),
                arguments("datasets.name IN ('a', 'b')", "dataset.`name` IN ('a', 'b')"),
                arguments("datasets.digest NOT IN ('x')", "dataset.`digest` NOT IN ('x',)"),
                arguments("datasets.context ILIKE 'EVAL'", "dataset.`context` ILIKE 'EVAL'"),
                arguments("params.a = 'it''s'", "parameter.`a` = \"it''s\""),
                arguments("params.a = \"O'Brien\"", "parameter.`a` = \"O'Brien\""),
                arguments("params.a = 'say \"hi\"'", "parameter.`a` = 'say \"hi\"'"),
                arguments("params.a = 'x AND y'", "parameter.`a` = 'x AND y'"),
                arguments("params.é = 'ü'", "parameter.`é` = 'ü'"),
                arguments("metrics.acc > 0.9 AND params.lr = '0.01'", "metric.`acc` > 0.9 AND parameter.`lr` = '0.01'"),
                arguments(
                        "metrics.acc > 0.9 and params.lr = '0.01' AnD tags.t = 'x'",
                        "metric.`acc` > 0.9 AND parameter.`lr` = '0.01' AND tag.`t` = 'x'"),
                arguments("AND metrics.acc > 0.9", "metric.`acc` > 0.9"),
                arguments("metrics.acc > 0.9 AND", "metric.`acc` > 0.9"),
                arguments("metrics.acc>0.9 AND params.lr='x'", "metric.`acc` > 0.9 AND parameter.`lr` = 'x'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFilters")
    void parsesValidFiltersAsMlflowDoes(String filter, String clauses) {
        assertThat(Printing.joined(SearchFilter.parseRuns(filter))).isEqualTo(clauses);
    }

    static Stream<Arguments> invalidFilters() {
        return Stream.of(
                arguments(" ", "Invalid filter ' '. Could not be parsed."),
                arguments("metrics.acc > 0.9 OR params.lr = 'x'", "Invalid clause(s) in filter string: 'OR'"),
                arguments("metrics.acc > 0.9;", "Invalid clause(s) in filter string: ';'"),
                arguments(
                        "metrics.acc > 0.9; params.lr = 'x'",
                        "Search filter contained multiple expression \"metrics.acc > 0.9; params.lr = 'x'\". Provide AND-ed expression list."),
                arguments("(metrics.acc > 0.9)", "Invalid clause(s) in filter string: '(metrics.acc > 0.9)'"),
                arguments("metrics.acc", "Invalid clause(s) in filter string: 'metrics.acc'"),
                arguments("metrics.acc >", "Invalid clause(s) in filter string: 'metrics.acc', '>'"),
                arguments("metrics.acc > '0.9'", "Expected numeric value type for metric. Found '0.9'"),
                arguments("metrics.acc = acc", "Expected numeric value type for metric. Found acc"),
                arguments("metrics.acc = 1E+3", "Expected numeric value type for metric. Found 1E+3"),
                arguments("metrics.acc IN (1)", "Expected numeric value type for metric. Found (1)"),
                arguments(
                        "params.lr = 0.01",
                        "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 0.01"),
                arguments(
                        "params.lr = x",
                        "Parameter value is either not quoted or unidentified quote types used for string value x. Use either single or double quotes."),
                arguments(
                        "params.lr = `x`",
                        "Parameter value is either not quoted or unidentified quote types used for string value `x`. Use either single or double quotes."),
                arguments(
                        "params.lr = metrics.b",
                        "Parameter value is either not quoted or unidentified quote types used for string value metrics.b. Use either single or double quotes."),
                arguments(
                        "params.lr IN ('a')",
                        "Expected a quoted string value for parameter (e.g. 'my-value'). Got value ('a')"),
                arguments("params.lr = 'x", "Invalid clause(s) in filter string: 'params.lr', '=', ''', 'x'"),
                arguments(
                        "params.learning-rate = '0.1'",
                        "Invalid comparison clause. Expected 'Identifier' found 'params.learning-rate'"),
                arguments("'x' = params.lr", "Invalid comparison clause. Expected 'Identifier' found ''x''"),
                arguments(
                        "foo.bar = 'x'",
                        "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']"),
                arguments(
                        "`foo`.bar = 'x'",
                        "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']"),
                arguments(
                        "\"params\".lr = 'x'",
                        "Invalid entity type '\"params\"'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']"),
                arguments(
                        "foo = 'x'",
                        "Invalid attribute key 'foo' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created', 'run name', 'Run name', 'Run Name'}'"),
                arguments(
                        "name = 'x'",
                        "Invalid attribute key 'name' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created', 'run name', 'Run name', 'Run Name'}'"),
                arguments(
                        "datasets.foo = 'x'",
                        "Invalid dataset key 'foo' specified. Valid keys are '{'name', 'digest', 'context'}'"),
                arguments(
                        "status IN ('RUNNING')",
                        "Only ['run_id'] attributes support comparison with a list of quoted string values."),
                arguments(
                        "status = RUNNING",
                        "Parameter value is either not quoted or unidentified quote types used for string value RUNNING. Use either single or double quotes."),
                arguments(
                        "start_time > '1'", "Expected numeric value type for numeric attribute: start_time. Found '1'"),
                arguments("start_time > x", "Expected numeric value type for numeric attribute: start_time. Found x"),
                arguments(
                        "created = 'yesterday'",
                        "Expected numeric value type for numeric attribute: created. Found 'yesterday'"),
                arguments(
                        "run_id IN ()",
                        "While parsing a list in the query, expected a non-empty list of string values, but got empty list"),
                arguments(
                        "run_id IN (1, 2)",
                        "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: (1, 2)"),
                arguments(
                        "run_id IN ('a', 1)",
                        "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ('a', 1)"),
                arguments(
                        "run_id IN (None,)",
                        "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: (None,)"),
                // Python raises a bare ValueError here (a 500); we answer with the ill-formed-list message.
                arguments(
                        "run_id IN (a, b)",
                        "While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list."),
                arguments("datasets.name = 1", "Expected a quoted string value for dataset attributes. Got value 1"),
                arguments(
                        "metrics.acc IS NULL",
                        "IS NULL / IS NOT NULL is only supported for tags and params, not for 'metric' 'acc'"),
                arguments(
                        "status IS NOT NULL",
                        "IS NULL / IS NOT NULL is only supported for tags and params, not for 'attribute' 'status'"),
                arguments(
                        "datasets.name IS NULL",
                        "IS NULL / IS NOT NULL is only supported for tags and params, not for 'dataset' 'name'"),
                arguments("params.lr IS 'x'", "Invalid clause(s) in filter string: 'params.lr', 'IS', ''x''"),
                arguments("params.lr IS NOT", "Invalid clause(s) in filter string: 'params.lr', 'IS', 'NOT'"),
                arguments(
                        "status > 'A'",
                        "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'"),
                arguments("status LIKE 1", "Expected a quoted string value for attributes. Got value 1"),
                arguments(
                        "run_id NOT LIKE 'a'",
                        "Invalid comparator 'NOT LIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'"),
                arguments(
                        "params.lr > '0'",
                        "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'}'"),
                arguments(
                        "params.lr NOT LIKE 'a'",
                        "Invalid comparator 'NOT LIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'}'"),
                arguments(
                        "params.lr RLIKE 'a'",
                        "Invalid comparator 'RLIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'}'"),
                arguments(
                        "tags.t < 'x'",
                        "Invalid comparator '<' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'}"),
                arguments(
                        "metrics.acc LIKE 1",
                        "Invalid comparator 'LIKE' not one of '{'>', '>=', '!=', '=', '<', '<='}"),
                arguments("metrics.acc == 1", "Invalid comparator '==' not one of '{'>', '>=', '!=', '=', '<', '<='}"),
                arguments("metrics.acc <> 1", "Invalid comparator '<>' not one of '{'>', '>=', '!=', '=', '<', '<='}"),
                arguments(
                        "start_time LIKE 1",
                        "Invalid comparator 'LIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}"),
                arguments(
                        "start_time IN (1)",
                        "Expected numeric value type for numeric attribute: start_time. Found (1)"),
                arguments(
                        "datasets.name > 'a'",
                        "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}"),
                arguments(
                        "datasets.context RLIKE 'a'",
                        "Invalid comparator 'RLIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}"),
                arguments("params.lr = 'x' params.b = 'y' 'z'", "Invalid clause(s) in filter string: ''z''"),
                arguments("params.lr = 'x' -- comment", "Invalid clause(s) in filter string: '-- comment'"),
                arguments("NOT params.lr = 'x'", "Invalid clause(s) in filter string: 'NOT'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFilters")
    void rejectsInvalidFiltersWithMlflowsMessage(String filter, String message) {
        assertThatThrownBy(() -> SearchFilter.parseRuns(filter)).isInstanceOfSatisfying(MlflowException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @ParameterizedTest
    @NullAndEmptySource
    void anAbsentFilterHasNoClauses(String filter) {
        assertThat(SearchFilter.parseRuns(filter)).isEmpty();
    }

    @Test
    void typesValuesAsMlflowDoes() {
        assertThat(SearchFilter.parseRuns("metrics.acc = 1 AND start_time > 1 AND end_time < 2.5 AND run_id IN ('a')"))
                .containsExactly(
                        new Clause(Entity.METRIC, "acc", Comparator.EQ, new Operand.Real(1)),
                        new Clause(Entity.ATTRIBUTE, "start_time", Comparator.GT, new Operand.Whole(1)),
                        new Clause(Entity.ATTRIBUTE, "end_time", Comparator.LT, new Operand.Real(2.5)),
                        new Clause(Entity.ATTRIBUTE, "run_id", Comparator.IN, new Operand.TextList(List.of("a"))));
    }

    @Test
    void keepsEscapesInsideQuotesVerbatimButDecodesPythonListLiterals() {
        // MLflow strips the quotes of a value and nothing else; IN lists go through literal_eval.
        assertThat(SearchFilter.parseRuns("params.a = 'x\\'y' AND run_id IN ('x\\'y', \"\\x41\")"))
                .containsExactly(
                        new Clause(Entity.PARAM, "a", Comparator.EQ, new Operand.Text("x\\'y")),
                        new Clause(
                                Entity.ATTRIBUTE, "run_id", Comparator.IN, new Operand.TextList(List.of("x'y", "A"))));
    }

    @Test
    void readsAValueEndingInABackslashAsSqlparseDoes() {
        assertThat(SearchFilter.parseRuns("params.path = 'C:\\dir\\'"))
                .containsExactly(new Clause(Entity.PARAM, "path", Comparator.EQ, new Operand.Text("C:\\dir\\")));
    }

    @Test
    void aListGoesOnlyWithInOrNotIn() {
        // MLflow accepts this parse and then fails in the database driver.
        assertThatThrownBy(() -> SearchFilter.parseRuns("run_id = ('a')"))
                .isInstanceOf(MlflowException.class)
                .hasMessage("Invalid comparison: '=' needs a single value, got ('a',)");
    }

    @Test
    void reportsTheFilterSyntaxBeforeTheOrderByAndTheOrderByBeforeComparators() {
        assertThatThrownBy(() -> RunSearch.parse("metrics.a", List.of("foo")))
                .hasMessage("Invalid clause(s) in filter string: 'metrics.a'");
        assertThatThrownBy(() -> RunSearch.parse("metrics.a LIKE 1", List.of("metrics.b DOWN")))
                .hasMessage("Invalid ordering key in order_by clause 'metrics.b DOWN'.");
        assertThatThrownBy(() -> RunSearch.parse("metrics.a LIKE 1", List.of("metrics.b")))
                .hasMessageStartingWith("Invalid comparator 'LIKE'");
    }
}
