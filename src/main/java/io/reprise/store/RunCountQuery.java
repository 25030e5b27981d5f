package io.reprise.store;

import java.util.List;
import java.util.Set;

/**
 * Which active runs to count and how to group them: runs of {@code experimentIds} (empty: every
 * experiment) started at or after {@code startedSince} (epoch milliseconds; 0 for all), grouped by
 * the chosen dimensions. Nothing is grouped by when {@code groupBy} is empty: one total.
 */
public record RunCountQuery(List<String> experimentIds, long startedSince, Set<RunCountQuery.Group> groupBy) {
    public RunCountQuery {
        experimentIds = List.copyOf(experimentIds);
        groupBy = Set.copyOf(groupBy);
    }

    /** The dimensions a count can be split by. */
    public enum Group {
        EXPERIMENT,
        /** The week the run started in, weeks starting on Monday 00:00 UTC. */
        WEEK,
        USER,
        /** The server policy's verdict, tag {@code reprise.compliance} ("" when absent). */
        COMPLIANCE,
        /** The latest reproduction verdict, tag {@code reprise.reproduction.verdict} ("" when absent). */
        REPRODUCTION
    }
}
