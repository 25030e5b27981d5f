package io.reprise.store;

import io.reprise.model.LifecycleStage;
import io.reprise.model.Page;
import io.reprise.search.ExperimentIds;
import io.reprise.search.RunSearch;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Translates a search-runs request to one SQL query over runs and their latest metrics, params,
 * tags and inputs, returning one page of run ids. Checks run in the order of MLflow's
 * {@code _search_runs}, so a request with several mistakes gets MLflow's message.
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
        SqlBuilder sql = new SqlBuilder();
        RunOrderSql order = new RunOrderSql(dialect, sql, search.orderBy());
        List<String> where = new ArrayList<>();
        where.add("r.experiment_id IN (" + sql.bindAll(experimentIds) + ")");
        List<String> stages =
                q.viewType().stages().stream().map(LifecycleStage::wire).toList();
        where.add("r.lifecycle_stage IN (" + sql.bindAll(stages) + ")");
        RunFilterSql filter = new RunFilterSql(dialect, sql);
        search.filter().forEach(c -> where.add(filter.predicate(c)));
        String text = "SELECT r.run_uuid FROM runs r" + order.joins()
                + " WHERE " + String.join(" AND ", where)
                + " ORDER BY " + order.orderBy()
                + " LIMIT " + sql.bind(q.maxResults() + 1) + " OFFSET " + sql.bind(offset);
        List<String> ids = sql.query(h, text).mapTo(String.class).list();
        return Pages.of(ids, q.maxResults(), offset);
    }
}
