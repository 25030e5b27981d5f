package io.reprise.store;

import io.reprise.store.RunCountQuery.Group;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Counts runs with one grouped SQL query, so a dashboard over a 100k-run experiment reads a few
 * hundred rows of counts instead of the runs. The two verdict tags are looked up by the tags'
 * primary key (run, key).
 */
final class RunCountSql {
    static final long WEEK_MS = 7L * 24 * 3600 * 1000;
    // 1970-01-01 was a Thursday: shifting by 3 days makes integer division cut weeks at Monday 00:00 UTC.
    static final long MONDAY_SHIFT_MS = 3L * 24 * 3600 * 1000;

    private RunCountSql() {}

    static List<RunCount> count(Handle h, RunCountQuery q) {
        SqlBuilder sql = new SqlBuilder();
        List<String> columns = new ArrayList<>();
        StringBuilder from = new StringBuilder(" FROM runs r");
        for (Group g : Group.values()) {
            if (!q.groupBy().contains(g)) {
                continue;
            }
            switch (g) {
                case EXPERIMENT -> columns.add("r.experiment_id");
                case WEEK -> columns.add("(r.start_time + " + MONDAY_SHIFT_MS + ") / " + WEEK_MS);
                case USER -> columns.add("r.user_id");
                case COMPLIANCE -> columns.add(tag(sql, from, "c", "reprise.compliance"));
                case REPRODUCTION -> columns.add(tag(sql, from, "v", "reprise.reproduction.verdict"));
            }
        }
        List<String> where = new ArrayList<>();
        where.add("r.lifecycle_stage = 'active'");
        if (!q.experimentIds().isEmpty()) {
            List<Long> ids = q.experimentIds().stream()
                    .map(JdbcTrackingStore::experimentIdNumberOrNegative)
                    .distinct()
                    .toList();
            where.add("r.experiment_id IN (" + sql.bindAll(ids) + ")");
        }
        if (q.startedSince() > 0) {
            where.add("r.start_time >= " + sql.bind(q.startedSince()));
        }
        String select = columns.isEmpty() ? "" : String.join(", ", columns) + ", ";
        String text = "SELECT " + select + "COUNT(*)" + from + " WHERE " + String.join(" AND ", where)
                + (columns.isEmpty() ? "" : " GROUP BY " + String.join(", ", columns));
        return sql.query(h, text).map((rs, ctx) -> row(rs, q)).list();
    }

    private static String tag(SqlBuilder sql, StringBuilder from, String alias, String key) {
        from.append(" LEFT JOIN tags ")
                .append(alias)
                .append(" ON ")
                .append(alias)
                .append(".run_uuid = r.run_uuid AND ")
                .append(alias)
                .append(".key = ")
                .append(sql.bind(key));
        return "COALESCE(" + alias + ".value, '')";
    }

    private static RunCount row(java.sql.ResultSet rs, RunCountQuery q) throws java.sql.SQLException {
        int i = 1;
        String experiment = q.groupBy().contains(Group.EXPERIMENT) ? rs.getString(i++) : null;
        long week = q.groupBy().contains(Group.WEEK) ? rs.getLong(i++) * WEEK_MS - MONDAY_SHIFT_MS : 0;
        String user = q.groupBy().contains(Group.USER) ? rs.getString(i++) : null;
        String compliance = q.groupBy().contains(Group.COMPLIANCE) ? rs.getString(i++) : null;
        String reproduction = q.groupBy().contains(Group.REPRODUCTION) ? rs.getString(i++) : null;
        return new RunCount(experiment, week, user, compliance, reproduction, rs.getLong(i));
    }
}
