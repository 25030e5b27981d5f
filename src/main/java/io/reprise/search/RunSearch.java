package io.reprise.search;

import java.util.List;

/**
 * A search-runs request's filter and ordering, checked in MLflow's order: the filter's syntax,
 * then the order_by clauses, then the filter's comparators. The order decides which message a
 * request with several mistakes gets.
 */
public record RunSearch(List<Clause> filter, List<SortKey> orderBy) {
    public RunSearch {
        filter = List.copyOf(filter);
        orderBy = List.copyOf(orderBy);
    }

    public static RunSearch parse(String filter, List<String> orderBy) {
        List<ParsedComparison> parsed = SearchFilter.readRuns(filter);
        List<SortKey> sortKeys = OrderBy.parseRuns(orderBy);
        return new RunSearch(RunFilterRules.validate(parsed), sortKeys);
    }
}
