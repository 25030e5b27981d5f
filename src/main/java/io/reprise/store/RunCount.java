package io.reprise.store;

/**
 * How many runs share one combination of the grouped values of a {@link RunCountQuery}. A value
 * the query did not group by is null ({@code weekStart}: 0); a tag the run lacks is "".
 *
 * @param weekStart epoch milliseconds of the Monday 00:00 UTC that starts the week
 */
public record RunCount(
        String experimentId, long weekStart, String user, String compliance, String reproduction, long runs) {}
