package io.reprise.search;

import io.reprise.model.MlflowException;
import java.util.List;
import java.util.Locale;

/**
 * The checks MLflow's SQL store makes when it turns parsed run comparisons into SQL
 * ({@code _get_sqlalchemy_filter_clauses}): comparators are upper-cased, aliases resolved, and a
 * comparator the entity does not support is rejected.
 */
final class RunFilterRules {
    static final List<String> METRIC_COMPARATORS = List.of(">", ">=", "!=", "=", "<", "<=");
    static final List<String> KEY_VALUE_COMPARATORS = List.of("!=", "=", "LIKE", "ILIKE", "IS NULL", "IS NOT NULL");
    static final List<String> STRING_ATTRIBUTE_COMPARATORS = List.of("!=", "=", "LIKE", "ILIKE", "IN", "NOT IN");

    private RunFilterRules() {}

    static List<Clause> validate(List<ParsedComparison> parsed) {
        return parsed.stream().map(RunFilterRules::validate).toList();
    }

    private static Clause validate(ParsedComparison p) {
        String comparator = p.comparator().toUpperCase(Locale.ROOT);
        String key = p.entity() == Entity.ATTRIBUTE ? Vocabulary.canonicalKey(p.key()) : p.key();
        // MLflow's messages are inconsistent about the closing quote; we copy them as they are.
        List<String> allowed;
        boolean closingQuote;
        switch (p.entity()) {
            case ATTRIBUTE -> {
                boolean numeric = Vocabulary.RUNS.numericAttributes().contains(key);
                allowed = numeric ? METRIC_COMPARATORS : STRING_ATTRIBUTE_COMPARATORS;
                closingQuote = !numeric;
                if (!allowed.contains(comparator)) {
                    // For numeric attributes MLflow lists the string comparators by mistake.
                    throw badComparator(comparator, STRING_ATTRIBUTE_COMPARATORS, closingQuote);
                }
            }
            case METRIC -> check(comparator, METRIC_COMPARATORS, false);
            case PARAM -> check(comparator, KEY_VALUE_COMPARATORS, true);
            case TAG -> check(comparator, KEY_VALUE_COMPARATORS, false);
            case DATASET -> check(comparator, STRING_ATTRIBUTE_COMPARATORS, false);
        }
        Comparator c = Comparator.of(comparator).orElseThrow();
        return new Clause(p.entity(), key, c, Operands.checkArity(c, p.operand()));
    }

    private static void check(String comparator, List<String> allowed, boolean closingQuote) {
        if (!allowed.contains(comparator)) {
            throw badComparator(comparator, allowed, closingQuote);
        }
    }

    private static MlflowException badComparator(String comparator, List<String> allowed, boolean closingQuote) {
        return MlflowException.invalid(
                "Invalid comparator '%s' not one of '%s%s",
                comparator, PyRepr.strSet(allowed), closingQuote ? "'" : "");
    }
}
