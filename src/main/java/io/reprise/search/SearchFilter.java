package io.reprise.search;

import java.util.List;

/**
 * MLflow's search filter grammar: a conjunction of {@code <entity>.<key> <comparator> <value>}
 * clauses joined by AND. Parsing also applies the checks MLflow's SQL store makes, so every
 * grammar error surfaces here as INVALID_PARAMETER_VALUE with MLflow's message.
 */
public final class SearchFilter {
    private SearchFilter() {}

    /** The clauses of a search-runs filter; null or empty means no filter. */
    public static List<Clause> parseRuns(String filter) {
        return RunFilterRules.validate(readRuns(filter));
    }

    /** The clauses of a search-experiments filter; null or empty means no filter. */
    public static List<Clause> parseExperiments(String filter) {
        return ExperimentFilterRules.validate(read(filter, Vocabulary.EXPERIMENTS));
    }

    static List<ParsedComparison> readRuns(String filter) {
        return read(filter, Vocabulary.RUNS);
    }

    private static List<ParsedComparison> read(String filter, Vocabulary vocabulary) {
        if (filter == null || filter.isEmpty()) {
            return List.of();
        }
        ComparisonReader reader = new ComparisonReader(vocabulary);
        return FilterSyntax.comparisons(filter, vocabulary).stream()
                .map(reader::read)
                .toList();
    }
}
