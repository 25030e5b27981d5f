package io.reprise.store;

import io.reprise.model.LifecycleStage;
import io.reprise.model.MlflowException;
import io.reprise.model.Page;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Translates a search-experiments request to SQL. */
final class ExperimentSearchSql {
    private ExperimentSearchSql() {}

    static Page<String> findIds(Handle h, Dialect dialect, ExperimentQuery q) {
        if (q.filter() != null && !q.filter().isBlank()) {
            throw MlflowException.invalid("Search filters are not supported yet: %s", q.filter());
        }
        int offset = PageToken.decodeOffset(q.pageToken());
        List<String> stages =
                q.viewType().stages().stream().map(LifecycleStage::wire).toList();
        List<String> ids = h.createQuery("""
                        SELECT e.experiment_id FROM experiments e
                        WHERE e.lifecycle_stage IN (<stages>)
                        ORDER BY e.creation_time DESC, e.experiment_id ASC
                        LIMIT :limit OFFSET :offset""")
                .bindList("stages", stages)
                .bind("limit", q.maxResults() + 1)
                .bind("offset", offset)
                .mapTo(String.class)
                .list();
        if (ids.size() > q.maxResults()) {
            return new Page<>(ids.subList(0, q.maxResults()), PageToken.encodeOffset(offset + q.maxResults()));
        }
        return new Page<>(ids, null);
    }
}
