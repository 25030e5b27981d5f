package io.reprise.store;

import io.reprise.model.LifecycleStage;
import io.reprise.model.Page;
import io.reprise.search.Clause;
import io.reprise.search.OrderBy;
import io.reprise.search.SearchFilter;
import io.reprise.search.SortKey;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Translates a search-experiments request to SQL, checking it in the order of MLflow's
 * {@code _search_experiments}. An experiment without a tag never matches a test on that tag.
 */
final class ExperimentSearchSql {
    private ExperimentSearchSql() {}

    static Page<String> findIds(Handle h, Dialect dialect, ExperimentQuery q) {
        SearchLimits.checkMaxResults(q.maxResults());
        List<Clause> filter = SearchFilter.parseExperiments(q.filter());
        List<SortKey> order = OrderBy.parseExperiments(q.orderBy());
        int offset = PageToken.decodeOffset(q.pageToken());
        SqlBuilder sql = new SqlBuilder();
        List<String> where = new ArrayList<>();
        List<String> stages =
                q.viewType().stages().stream().map(LifecycleStage::wire).toList();
        where.add("e.lifecycle_stage IN (" + sql.bindAll(stages) + ")");
        filter.forEach(c -> where.add(predicate(c, dialect, sql)));
        String text = "SELECT e.experiment_id FROM experiments e WHERE " + String.join(" AND ", where)
                + " ORDER BY "
                + String.join(", ", order.stream().map(k -> term(k, dialect)).toList())
                + " LIMIT " + sql.bind(q.maxResults() + 1) + " OFFSET " + sql.bind(offset);
        List<String> ids = sql.query(h, text).mapTo(String.class).list();
        return Pages.of(ids, q.maxResults(), offset);
    }

    private static String predicate(Clause c, Dialect dialect, SqlBuilder sql) {
        return switch (c.entity()) {
            case TAG -> tag(c, dialect, sql);
            case ATTRIBUTE -> SqlComparisons.compare("e." + c.key(), c.comparator(), c.operand(), dialect, sql);
            default ->
                throw new IllegalArgumentException(
                        "experiments have no " + c.entity().wire());
        };
    }

    private static String tag(Clause c, Dialect dialect, SqlBuilder sql) {
        String row = "SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = "
                + sql.bind(c.key());
        return switch (c.comparator()) {
            case IS_NULL -> "NOT EXISTS (" + row + ")";
            case IS_NOT_NULL -> "EXISTS (" + row + ")";
            default ->
                "EXISTS (" + row + " AND "
                        + SqlComparisons.compare("t.value", c.comparator(), c.operand(), dialect, sql) + ")";
        };
    }

    private static String term(SortKey k, Dialect dialect) {
        String column = "e." + k.key();
        return (k.key().equals("name") ? dialect.binaryText(column) : column) + (k.ascending() ? "" : " DESC");
    }
}
