package io.reprise.search;

/**
 * One ORDER BY term of a search, with MLflow's aliases already resolved ({@code created} is
 * {@code start_time}).
 */
public record SortKey(Entity entity, String key, boolean ascending) {

    /** The order_by string MLflow would read back as this key. */
    @Override
    public String toString() {
        return Printing.identifier(entity, key) + (ascending ? " ASC" : " DESC");
    }
}
