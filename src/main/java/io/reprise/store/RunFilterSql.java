package io.reprise.store;

import io.reprise.search.Clause;
import io.reprise.search.Comparator;
import io.reprise.search.Entity;

/**
 * One SQL predicate per run filter clause, over {@code runs r}. A run that lacks the metric,
 * param or tag never matches, not even {@code !=}: each test selects the runs that have a
 * matching row, the shape of MLflow's inner joins.
 *
 * <p>Tests are written {@code r.run_uuid IN (SELECT ...)} rather than as correlated EXISTS: both
 * databases then read the matching rows once through the (key, value) indexes instead of probing
 * once per run, which on 100k runs is the difference between tens and hundreds of milliseconds.
 */
final class RunFilterSql {
    static final String DATASET_CONTEXT_TAG = "mlflow.data.context";

    private final Dialect dialect;
    private final SqlBuilder sql;

    RunFilterSql(Dialect dialect, SqlBuilder sql) {
        this.dialect = dialect;
        this.sql = sql;
    }

    String predicate(Clause c) {
        return switch (c.entity()) {
            case METRIC -> metric(c);
            case PARAM -> keyValue("params", c);
            case TAG -> keyValue("tags", c);
            case ATTRIBUTE -> attribute(c);
            case DATASET -> dataset(c);
        };
    }

    // NaN is stored as 0 with is_nan = 1: it satisfies only "!=", like a NaN comparison in Python.
    private String metric(Clause c) {
        String test = compare("m.value", c);
        String nan = c.comparator() == Comparator.NE ? "(" + test + " OR m.is_nan = 1)" : test + " AND m.is_nan = 0";
        return "r.run_uuid IN (SELECT m.run_uuid FROM latest_metrics m WHERE m.key = " + sql.bind(c.key()) + " AND "
                + nan + ")";
    }

    private String keyValue(String table, Clause c) {
        String key = sql.bind(c.key());
        return switch (c.comparator()) {
            // NOT EXISTS rather than NOT IN: PostgreSQL turns it into an anti-join.
            case IS_NULL ->
                "NOT EXISTS (SELECT 1 FROM " + table + " kv WHERE kv.run_uuid = r.run_uuid AND kv.key = " + key + ")";
            case IS_NOT_NULL -> "r.run_uuid IN (SELECT kv.run_uuid FROM " + table + " kv WHERE kv.key = " + key + ")";
            default ->
                "r.run_uuid IN (SELECT kv.run_uuid FROM " + table + " kv WHERE kv.key = " + key + " AND "
                        + compare("kv.value", c) + ")";
        };
    }

    private String attribute(Clause c) {
        if (c.key().equals("run_name")) {
            // MLflow tests the mlflow.runName tag: runs logged by old clients have no name column.
            return keyValue("tags", new Clause(Entity.TAG, RunWriter.RUN_NAME_TAG, c.comparator(), c.operand()));
        }
        return compare(RunColumns.of(c.key()), c);
    }

    private String dataset(Clause c) {
        if (c.key().equals("context")) {
            return "r.run_uuid IN (SELECT it.run_uuid FROM input_tags it WHERE it.key = "
                    + sql.bind(DATASET_CONTEXT_TAG) + " AND " + compare("it.value", c) + ")";
        }
        // c.key() is "name" or "digest": the parser admits no other dataset key.
        return "r.run_uuid IN (SELECT i.run_uuid FROM run_inputs i JOIN datasets d ON d.dataset_uuid = i.dataset_uuid"
                + " WHERE " + compare("d." + c.key(), c) + ")";
    }

    private String compare(String column, Clause c) {
        return SqlComparisons.compare(column, c.comparator(), c.operand(), dialect, sql);
    }
}
