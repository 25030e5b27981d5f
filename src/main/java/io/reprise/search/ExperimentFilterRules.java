package io.reprise.search;

import io.reprise.model.MlflowException;
import java.util.List;

/**
 * The checks MLflow's SQL store makes on parsed experiment comparisons
 * ({@code _get_search_experiments_filter_clauses}). Unlike run search it does not upper-case the
 * comparator, so {@code name like 'a%'} is rejected.
 */
final class ExperimentFilterRules {
    private static final List<String> EQUALITY_AND_LIST = List.of("=", "!=", "IN", "NOT IN");
    private static final List<String> STRING_COMPARATORS = List.of("=", "!=", "LIKE", "ILIKE");
    private static final List<String> NULL_CHECKS = List.of("IS NULL", "IS NOT NULL");

    private ExperimentFilterRules() {}

    static List<Clause> validate(List<ParsedComparison> parsed) {
        return parsed.stream().map(ExperimentFilterRules::validate).toList();
    }

    private static Clause validate(ParsedComparison p) {
        String comparator = p.comparator();
        Operand operand = p.operand();
        if (p.entity() == Entity.TAG) {
            if (!NULL_CHECKS.contains(comparator) && !STRING_COMPARATORS.contains(comparator)) {
                throw MlflowException.invalid("Invalid comparator for tag: %s", comparator);
            }
        } else if (p.key().equals("experiment_id")) {
            if (!EQUALITY_AND_LIST.contains(comparator)) {
                throw MlflowException.invalid("Invalid comparator for experiment_id: %s", comparator);
            }
            operand = experimentIds(operand);
        } else if (Vocabulary.EXPERIMENTS.numericAttributes().contains(p.key())) {
            checkNumeric(p.key(), comparator, operand);
        } else {
            checkString(comparator);
        }
        Comparator c = Comparator.of(comparator).orElseThrow();
        return new Clause(p.entity(), p.key(), c, Operands.checkArity(c, operand));
    }

    private static void checkString(String comparator) {
        if (!RunFilterRules.STRING_ATTRIBUTE_COMPARATORS.contains(comparator)) {
            throw MlflowException.invalid(
                    "Invalid comparator '%s' not one of '%s'",
                    comparator, PyRepr.strSet(RunFilterRules.STRING_ATTRIBUTE_COMPARATORS));
        }
        if (!STRING_COMPARATORS.contains(comparator)) {
            throw MlflowException.invalid("Invalid comparator for string attribute: %s", comparator);
        }
    }

    private static void checkNumeric(String key, String comparator, Operand operand) {
        if (!RunFilterRules.METRIC_COMPARATORS.contains(comparator)) {
            throw MlflowException.invalid(
                    "Invalid comparator '%s' not one of '%s",
                    comparator, PyRepr.strSet(RunFilterRules.STRING_ATTRIBUTE_COMPARATORS));
        }
        if (operand instanceof Operand.Real r) {
            // Timestamps are integers; MLflow rejects 1.5 and even 1e3 (a float to Python).
            throw MlflowException.invalid(
                    "Invalid value for numeric attribute '%s': %s", key, PyRepr.str(PyRepr.floating(r.value())));
        }
    }

    private static Operand experimentIds(Operand operand) {
        return switch (operand) {
            case Operand.Text t -> new Operand.Whole(ExperimentIds.parse(t.value()));
            case Operand.TextList l ->
                new Operand.WholeList(
                        l.values().stream().map(ExperimentIds::parse).toList());
            default -> operand;
        };
    }
}
