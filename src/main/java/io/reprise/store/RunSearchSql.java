package io.reprise.store;

import io.reprise.model.LifecycleStage;
import io.reprise.model.MlflowException;
import io.reprise.model.Page;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Translates a search-runs request to one SQL query over runs and their latest metrics, params and tags. */
final class RunSearchSql {
    private RunSearchSql() {}

    static Page<String> findIds(Handle h, Dialect dialect, RunQuery q) {
        if (q.filter() != null && !q.filter().isBlank()) {
            throw MlflowException.invalid("Search filters are not supported yet: %s", q.filter());
        }
        int offset = PageToken.decodeOffset(q.pageToken());
        List<Long> experimentIds = q.experimentIds().stream()
                .map(JdbcTrackingStore::experimentIdNumberOrNegative)
                .toList();
        List<String> stages =
                q.viewType().stages().stream().map(LifecycleStage::wire).toList();
        List<String> ids = h.createQuery("""
                        SELECT r.run_uuid FROM runs r
                        WHERE r.experiment_id IN (<exps>) AND r.lifecycle_stage IN (<stages>)
                        ORDER BY r.start_time DESC, r.run_uuid ASC
                        LIMIT :limit OFFSET :offset""")
                .bindList("exps", experimentIds)
                .bindList("stages", stages)
                .bind("limit", q.maxResults())
                .bind("offset", offset)
                .mapTo(String.class)
                .list();
        String next = ids.size() == q.maxResults() ? PageToken.encodeOffset(offset + ids.size()) : null;
        return new Page<>(ids, next);
    }
}
