package io.reprise.store;

import io.reprise.search.Entity;
import io.reprise.search.SortKey;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * ORDER BY for run search, with the joins it needs. Missing values sort last in both directions;
 * for metrics NaN sorts after every number and before missing values, as in MLflow.
 */
final class RunOrderSql {
    /** One sort term: {@code value} sorted {@code descending}, byte-wise when {@code text}. */
    private record Term(String value, boolean text, boolean descending) {}

    private final Dialect dialect;
    private final SqlBuilder sql;
    private final List<String> joins = new ArrayList<>();
    private final List<Term> terms = new ArrayList<>();

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
        return terms.stream().map(t -> sorted(t, t.value())).collect(Collectors.joining(", "));
    }

    /** The sort values as output columns {@code o0, o1, ...}, to merge sorted subqueries by. */
    String columns() {
        return IntStream.range(0, terms.size())
                .mapToObj(i -> terms.get(i).value() + " AS o" + i)
                .collect(Collectors.joining(", "));
    }

    /** {@link #orderBy} over the {@link #columns} of a subquery. */
    String orderByColumns() {
        return IntStream.range(0, terms.size())
                .mapToObj(i -> sorted(terms.get(i), "o" + i))
                .collect(Collectors.joining(", "));
    }

    private String sorted(Term t, String value) {
        return (t.text() ? dialect.binaryText(value) : value) + (t.descending() ? " DESC" : "");
    }

    private void add(SortKey key) {
        boolean descending = !key.ascending();
        switch (key.entity()) {
            case ATTRIBUTE -> attribute(key.key(), descending);
            case METRIC -> {
                String s = join("latest_metrics", key.key());
                terms.add(rank("CASE WHEN " + s + ".is_nan = 1 THEN 1 WHEN " + s + ".value IS NULL THEN 2 ELSE 0 END"));
                terms.add(new Term(s + ".value", false, descending));
            }
            case PARAM, TAG -> {
                String s = join(key.entity() == Entity.PARAM ? "params" : "tags", key.key());
                terms.add(rank("CASE WHEN " + s + ".value IS NULL THEN 1 ELSE 0 END"));
                terms.add(new Term(s + ".value", true, descending));
            }
            case DATASET -> throw new IllegalArgumentException("datasets do not sort");
        }
    }

    private static Term rank(String value) {
        return new Term(value, false, false);
    }

    private void attribute(String name, boolean descending) {
        String column = RunColumns.of(name);
        if (RunColumns.isNullable(name)) {
            terms.add(rank("CASE WHEN " + column + " IS NULL THEN 1 ELSE 0 END"));
        }
        // Run ids are lower-case hex, which every collation orders alike; leaving run_uuid bare
        // lets PostgreSQL use its index for the default order.
        boolean text = !RunColumns.isNumeric(name) && !name.equals("run_id");
        terms.add(new Term(column, text, descending));
    }

    private String join(String table, String key) {
        String alias = "s" + joins.size();
        joins.add(" LEFT JOIN " + table + " " + alias + " ON " + alias + ".run_uuid = r.run_uuid AND " + alias
                + ".key = " + sql.bind(key));
        return alias;
    }
}
