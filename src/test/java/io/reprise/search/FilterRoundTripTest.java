package io.reprise.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Printing a clause in filter syntax and parsing it back gives the clause again. This holds for
 * everything MLflow's grammar can express: keys with dots, spaces and quotes, values with quotes
 * of one kind (MLflow never unescapes, so a value cannot hold both kinds), and IN lists with any
 * text, since those are Python literals.
 */
class FilterRoundTripTest {

    @Property(tries = 300)
    void runFiltersSurviveAPrintParseRoundTrip(@ForAll("runFilters") List<Clause> clauses) {
        assertThat(SearchFilter.parseRuns(Printing.joined(clauses))).isEqualTo(clauses);
    }

    @Property(tries = 150)
    void experimentFiltersSurviveAPrintParseRoundTrip(@ForAll("experimentFilters") List<Clause> clauses) {
        assertThat(SearchFilter.parseExperiments(Printing.joined(clauses))).isEqualTo(clauses);
    }

    @Provide
    Arbitrary<List<Clause>> runFilters() {
        return Arbitraries.oneOf(metric(), keyValue(Entity.PARAM), keyValue(Entity.TAG), runAttribute(), dataset())
                .list()
                .ofMinSize(1)
                .ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Clause>> experimentFilters() {
        Arbitrary<Clause> name = Combinators.combine(comparators("=", "!=", "LIKE", "ILIKE"), text())
                .as((c, v) -> new Clause(Entity.ATTRIBUTE, "name", c, new Operand.Text(v)));
        Arbitrary<Clause> time = Combinators.combine(
                        Arbitraries.of("creation_time", "last_update_time"),
                        comparators("=", "!=", ">", ">=", "<", "<="),
                        Arbitraries.longs())
                .as((k, c, v) -> new Clause(Entity.ATTRIBUTE, k, c, new Operand.Whole(v)));
        Arbitrary<Clause> ids = Arbitraries.longs()
                .between(0, Long.MAX_VALUE)
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(l -> new Clause(Entity.ATTRIBUTE, "experiment_id", Comparator.IN, new Operand.WholeList(l)));
        return Arbitraries.oneOf(name, time, ids, keyValue(Entity.TAG))
                .list()
                .ofMinSize(1)
                .ofMaxSize(3);
    }

    private Arbitrary<Clause> metric() {
        Arbitrary<Double> finite = Arbitraries.doubles().filter(d -> !d.isNaN() && !d.isInfinite());
        return Combinators.combine(key(), comparators("=", "!=", ">", ">=", "<", "<="), finite)
                .as((k, c, v) -> new Clause(Entity.METRIC, k, c, new Operand.Real(v)));
    }

    private Arbitrary<Clause> keyValue(Entity entity) {
        Arbitrary<Clause> compared = Combinators.combine(key(), comparators("=", "!=", "LIKE", "ILIKE"), text())
                .as((k, c, v) -> new Clause(entity, k, c, new Operand.Text(v)));
        Arbitrary<Clause> presence = Combinators.combine(key(), comparators("IS NULL", "IS NOT NULL"))
                .as((k, c) -> new Clause(entity, k, c, new Operand.Absent()));
        return Arbitraries.oneOf(compared, presence);
    }

    private Arbitrary<Clause> runAttribute() {
        Arbitrary<Clause> text = Combinators.combine(
                        Arbitraries.of("status", "user_id", "artifact_uri", "run_id", "run_name"),
                        comparators("=", "!=", "LIKE", "ILIKE"),
                        text())
                .as((k, c, v) -> new Clause(Entity.ATTRIBUTE, k, c, new Operand.Text(v)));
        Arbitrary<Clause> time = Combinators.combine(
                        Arbitraries.of("start_time", "end_time"),
                        comparators("=", "!=", ">", ">=", "<", "<="),
                        Arbitraries.longs())
                .as((k, c, v) -> new Clause(Entity.ATTRIBUTE, k, c, new Operand.Whole(v)));
        Arbitrary<Clause> ids = Combinators.combine(comparators("IN", "NOT IN"), anyTexts())
                .as((c, v) -> new Clause(Entity.ATTRIBUTE, "run_id", c, new Operand.TextList(v)));
        return Arbitraries.oneOf(text, time, ids);
    }

    private Arbitrary<Clause> dataset() {
        Arbitrary<String> field = Arbitraries.of("name", "digest", "context");
        Arbitrary<Clause> one = Combinators.combine(field, comparators("=", "!=", "LIKE", "ILIKE"), text())
                .as((k, c, v) -> new Clause(Entity.DATASET, k, c, new Operand.Text(v)));
        Arbitrary<Clause> list = Combinators.combine(field, comparators("IN", "NOT IN"), anyTexts())
                .as((k, c, v) -> new Clause(Entity.DATASET, k, c, new Operand.TextList(v)));
        return Arbitraries.oneOf(one, list);
    }

    private static Arbitrary<Comparator> comparators(String... symbols) {
        return Arbitraries.of(symbols).map(s -> Comparator.of(s).orElseThrow());
    }

    // Keys may hold dots (split on the first only), blanks and quotes, but not both ` and ", and
    // not ` at both ends: MLflow strips quotes and then backticks, so `x` always reads as x.
    private static Arbitrary<String> key() {
        return Arbitraries.strings()
                .withChars("abcXYZ019_.-/: é'")
                .withChars('`', '"')
                .ofMinLength(1)
                .ofMaxLength(10)
                .filter(k -> k.indexOf('`') < 0 || k.indexOf('"') < 0)
                .filter(k -> !Quotes.isQuoted(k, '`'));
    }

    // A quoted value is kept verbatim, so it may hold one kind of quote, and no backslash (a
    // trailing one would escape the closing quote, in MLflow as here).
    private static Arbitrary<String> text() {
        return Arbitraries.strings()
                .withChars("abcXYZ019 %_.-=()<>,;é日")
                .withChars('\'', '"', '`')
                .ofMaxLength(12)
                .filter(v -> v.indexOf('\'') < 0 || v.indexOf('"') < 0);
    }

    // IN lists are Python literals, so anything goes, escapes included.
    private static Arbitrary<List<String>> anyTexts() {
        return Arbitraries.strings().all().ofMaxLength(8).list().ofMinSize(1).ofMaxSize(3);
    }
}
