package io.reprise.store;

import io.reprise.model.LifecycleStage;
import io.reprise.model.Page;
import io.reprise.search.Entity;
import io.reprise.search.ExperimentIds;
import io.reprise.search.RunSearch;
import io.reprise.search.SortKey;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Translates a search-runs request to SQL over runs and their latest metrics, params, tags and
 * inputs, returning one page of run ids. Checks run in the order of MLflow's {@code _search_runs},
 * so a request with several mistakes gets MLflow's message.
 *
 * <p>Ordered by a metric (the common "best runs first" search), a page is first looked for by
 * walking that metric's (key, value) index in order and testing each run, which stops after a
 * page of matches instead of sorting every match: milliseconds rather than a second at 100k runs.
 * That walk sees only the runs that have a number for the metric, which MLflow sorts ahead of NaN
 * and missing values; when it cannot fill the page, the general query answers.
 */
final class RunSearchSql {
    private RunSearchSql() {}

    static Page<String> findIds(Handle h, Dialect dialect, RunQuery q) {
        SearchLimits.checkMaxResults(q.maxResults());
        RunSearch search = RunSearch.parse(q.filter(), q.orderBy());
        int offset = PageToken.decodeOffset(q.pageToken());
        List<Long> experimentIds =
                q.experimentIds().stream().map(ExperimentIds::parse).toList();
        if (experimentIds.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        List<SortKey> keys = search.orderBy();
        if (keys.getFirst().entity() == Entity.METRIC) {
            List<String> ids = query(h, dialect, q, search, experimentIds, offset, true);
            if (ids.size() > q.maxResults()) {
                return Pages.of(ids, q.maxResults(), offset);
            }
        }
        return Pages.of(query(h, dialect, q, search, experimentIds, offset, false), q.maxResults(), offset);
    }

    private static List<String> query(
            Handle h,
            Dialect dialect,
            RunQuery q,
            RunSearch search,
            List<Long> experimentIds,
            int offset,
            boolean walkLeadingMetric) {
        SqlBuilder sql = new SqlBuilder();
        List<SortKey> keys = search.orderBy();
        List<String> where = new ArrayList<>();
        String from;
        String leadingOrder = "";
        RunOrderSql order;
        if (walkLeadingMetric) {
            SortKey lead = keys.getFirst();
            from = "latest_metrics lead" + dialect.joinInThisOrder() + "runs r ON r.run_uuid = lead.run_uuid";
            where.add("lead.key = " + sql.bind(lead.key()));
            where.add("lead.is_nan = 0");
            leadingOrder = "lead.value" + (lead.ascending() ? "" : " DESC") + ", ";
            order = new RunOrderSql(dialect, sql, keys.subList(1, keys.size()));
        } else {
            from = "runs r";
            order = new RunOrderSql(dialect, sql, keys);
        }
        where.add("r.experiment_id IN (" + sql.bindAll(experimentIds) + ")");
        List<String> stages =
                q.viewType().stages().stream().map(LifecycleStage::wire).toList();
        where.add("r.lifecycle_stage IN (" + sql.bindAll(stages) + ")");
        RunFilterSql filter = new RunFilterSql(dialect, sql, walkLeadingMetric);
        search.filter().forEach(c -> where.add(filter.predicate(c)));
        String text = "SELECT r.run_uuid FROM " + from + order.joins()
                + " WHERE " + String.join(" AND ", where)
                + " ORDER BY " + leadingOrder + order.orderBy()
                + " LIMIT " + sql.bind(q.maxResults() + 1) + " OFFSET " + sql.bind(offset);
        return sql.query(h, text).mapTo(String.class).list();
    }
}
