package io.reprise.store;

import io.reprise.search.Entity;
import io.reprise.search.SortKey;
import java.util.ArrayList;
import java.util.List;

/**
 * ORDER BY for run search, with the joins it needs. Missing values sort last in both directions;
 * for metrics NaN sorts after every number and before missing values, as in MLflow.
 */
final class RunOrderSql {
    private final Dialect dialect;
    private final SqlBuilder sql;
    private final List<String> joins = new ArrayList<>();
    private final List<String> terms = new ArrayList<>();

    RunOrderSql(Dialect dialect, SqlBuilder sql, List<SortKey> keys) {
        this.dialect = dialect;
        this.sql = sql;
        keys.forEach(this::add);
    }

    /** LEFT JOINs, so that runs without the sort key stay in the result. */
    String joins() {
        return String.join("", joins);
    }

    String orderBy() {
        return String.join(", ", terms);
    }

    private void add(SortKey key) {
        String direction = key.ascending() ? "" : " DESC";
        switch (key.entity()) {
            case ATTRIBUTE -> attribute(key.key(), direction);
            case METRIC -> {
                String s = join("latest_metrics", key.key());
                terms.add("CASE WHEN " + s + ".is_nan = 1 THEN 1 WHEN " + s + ".value IS NULL THEN 2 ELSE 0 END");
                terms.add(s + ".value" + direction);
            }
            case PARAM, TAG -> {
                String s = join(key.entity() == Entity.PARAM ? "params" : "tags", key.key());
                terms.add("CASE WHEN " + s + ".value IS NULL THEN 1 ELSE 0 END");
                terms.add(dialect.binaryText(s + ".value") + direction);
            }
            case DATASET -> throw new IllegalArgumentException("datasets do not sort");
        }
    }

    private void attribute(String name, String direction) {
        String column = RunColumns.of(name);
        if (RunColumns.isNullable(name)) {
            terms.add("CASE WHEN " + column + " IS NULL THEN 1 ELSE 0 END");
        }
        // Run ids are lower-case hex, which every collation orders alike; leaving run_uuid bare
        // lets PostgreSQL use its index for the default order.
        boolean text = !RunColumns.isNumeric(name) && !name.equals("run_id");
        terms.add((text ? dialect.binaryText(column) : column) + direction);
    }

    private String join(String table, String key) {
        String alias = "s" + joins.size();
        joins.add(" LEFT JOIN " + table + " " + alias + " ON " + alias + ".run_uuid = r.run_uuid AND " + alias
                + ".key = " + sql.bind(key));
        return alias;
    }
}
