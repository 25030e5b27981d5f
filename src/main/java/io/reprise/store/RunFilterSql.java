package io.reprise.store;

import io.reprise.search.Clause;
import io.reprise.search.Comparator;
import io.reprise.search.Entity;

/**
 * One SQL predicate per run filter clause, over {@code runs r}. A run that lacks the metric,
 * param or tag never matches, not even {@code !=}: each test selects the runs that have a
 * matching row, the shape of MLflow's inner joins.
 *
 * <p>Two shapes: as sets, {@code r.run_uuid IN (SELECT ...)}, both databases read the matching
 * rows once through the (key, value) indexes, the fast way when every run must be looked at; as
 * probes, correlated {@code EXISTS}, each test is one primary-key lookup per run, the fast way
 * when the query walks an index in sort order and stops after a page.
 */
final class RunFilterSql {
    static final String DATASET_CONTEXT_TAG = "mlflow.data.context";

    private final Dialect dialect;
    private final SqlBuilder sql;
    private final String experiments;
    private final String runColumn;

    /** Tests as sets of run ids of the experiments whose placeholders {@code experiments} lists. */
    static RunFilterSql sets(Dialect dialect, SqlBuilder sql, String experiments) {
        return new RunFilterSql(dialect, sql, experiments, "r.run_uuid");
    }

    /**
     * Tests as correlated lookups of the run whose id is in {@code runColumn}. Probing by the column
     * of the walked index rather than {@code r.run_uuid} lets SQLite test a candidate before it
     * looks the run up, so only matching runs are read (half the work of a metric-ordered search).
     */
    static RunFilterSql probes(Dialect dialect, SqlBuilder sql, String runColumn) {
        return new RunFilterSql(dialect, sql, null, runColumn);
    }

    private RunFilterSql(Dialect dialect, SqlBuilder sql, String experiments, String runColumn) {
        this.dialect = dialect;
        this.sql = sql;
        this.experiments = experiments;
        this.runColumn = runColumn;
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
        // As a set, only the searched experiments' part of the (experiment, key, value) index is read.
        String scope = experiments == null ? "" : "m.experiment_id IN (" + experiments + ") AND ";
        return member("latest_metrics m", "m", scope + "m.key = " + sql.bind(c.key()) + " AND " + nan);
    }

    private String keyValue(String table, Clause c) {
        String key = sql.bind(c.key());
        return switch (c.comparator()) {
            // NOT EXISTS rather than NOT IN: PostgreSQL turns it into an anti-join.
            case IS_NULL ->
                "NOT EXISTS (SELECT 1 FROM " + table + " kv WHERE kv.run_uuid = " + runColumn + " AND kv.key = " + key
                        + ")";
            case IS_NOT_NULL -> member(table + " kv", "kv", "kv.key = " + key);
            default -> member(table + " kv", "kv", "kv.key = " + key + " AND " + compare("kv.value", c));
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
            return member(
                    "input_tags it",
                    "it",
                    "it.key = " + sql.bind(DATASET_CONTEXT_TAG) + " AND " + compare("it.value", c));
        }
        // c.key() is "name" or "digest": the parser admits no other dataset key.
        return member(
                "run_inputs i JOIN datasets d ON d.dataset_uuid = i.dataset_uuid", "i", compare("d." + c.key(), c));
    }

    /** The runs that have a row in {@code from} (whose run column is {@code alias.run_uuid}) meeting {@code test}. */
    private String member(String from, String alias, String test) {
        return experiments == null
                ? "EXISTS (SELECT 1 FROM " + from + " WHERE " + alias + ".run_uuid = " + runColumn + " AND " + test
                        + ")"
                : runColumn + " IN (SELECT " + alias + ".run_uuid FROM " + from + " WHERE " + test + ")";
    }

    private String compare(String column, Clause c) {
        return SqlComparisons.compare(column, c.comparator(), c.operand(), dialect, sql);
    }
}
