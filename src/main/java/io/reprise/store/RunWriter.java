package io.reprise.store;

import io.reprise.model.Dataset;
import io.reprise.model.DatasetInput;
import io.reprise.model.LifecycleStage;
import io.reprise.model.Metric;
import io.reprise.model.MlflowException;
import io.reprise.model.Param;
import io.reprise.model.RunInfo;
import io.reprise.model.Tag;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The SQL of run writes; every method runs inside the caller's transaction. */
final class RunWriter {
    static final String RUN_NAME_TAG = "mlflow.runName";

    private RunWriter() {}

    static RunInfo info(Handle h, String runId) {
        return info(h, runId, "");
    }

    private static final String INFO_SQL = "SELECT " + Rows.RUN_COLUMNS + " FROM runs r WHERE r.run_uuid = ?";

    // Plain JDBC: every write runs this first, and JDBI's statement set-up (config copy, named
    // parameter parsing and binding) showed in it: in a PostgreSQL log-metric profile the lock
    // took 52% of the writer thread's CPU through JDBI, 40% without.
    private static RunInfo info(Handle h, String runId, String lock) {
        RunInfo info = JdbcStatements.call(h, lock.isEmpty() ? INFO_SQL : INFO_SQL + lock, ps -> {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Rows.runInfo(rs) : null;
            }
        });
        if (info == null) {
            throw JdbcTrackingStore.runNotFound(runId);
        }
        return info;
    }

    /**
     * Locks the run's row until commit. Every write to a run takes this lock first, so on PostgreSQL
     * writers of one run queue in one order: no deadlocks between their row locks, no param insert
     * racing another, no write slipping past a concurrent delete.
     */
    static RunInfo lock(Handle h, Dialect dialect, String runId) {
        return info(h, runId, dialect.lockForUpdate());
    }

    /** {@link #lock}s the run and checks it is active, with MLflow's message. */
    static RunInfo lockActive(Handle h, Dialect dialect, String runId) {
        RunInfo info = lock(h, dialect, runId);
        if (info.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw MlflowException.invalid(
                    "The run %s must be in the 'active' state. Current state is %s.",
                    runId, info.lifecycleStage().wire());
        }
        return info;
    }

    static RunInfo update(Handle h, RunUpdate u) {
        if (u.status() != null) {
            h.createUpdate("UPDATE runs SET status = :status WHERE run_uuid = :id")
                    .bind("status", u.status().name())
                    .bind("id", u.runId())
                    .execute();
        }
        if (u.endTime() != null) {
            h.createUpdate("UPDATE runs SET end_time = :end WHERE run_uuid = :id")
                    .bind("end", u.endTime())
                    .bind("id", u.runId())
                    .execute();
        }
        // As in MLflow, an empty name leaves the name unchanged.
        if (u.runName() != null && !u.runName().isEmpty()) {
            rename(h, u.runId(), u.runName());
        }
        return info(h, u.runId());
    }

    /** Sets the run's name and its {@code mlflow.runName} tag together. */
    static void rename(Handle h, String runId, String name) {
        h.createUpdate("UPDATE runs SET name = :name WHERE run_uuid = :id")
                .bind("name", name)
                .bind("id", runId)
                .execute();
        insertTags(h, runId, List.of(new Tag(RUN_NAME_TAG, name)));
    }

    /**
     * Sets tags as log-batch and set-tag do: a later tag of the same key wins, and {@code mlflow.runName}
     * renames the run (an empty one is ignored, as MLflow's set_tag ignores it).
     */
    static void setTags(Handle h, String runId, List<Tag> tags) {
        List<Tag> plain = new ArrayList<>(tags.size());
        String name = null;
        for (Tag tag : tags) {
            if (!tag.key().equals(RUN_NAME_TAG)) {
                plain.add(tag);
            } else if (!tag.value().isEmpty()) {
                name = tag.value();
            }
        }
        insertTags(h, runId, plain);
        if (name != null) {
            rename(h, runId, name);
        }
    }

    /** Inserts or overwrites tags as given, with no side effect on the run. */
    static void insertTags(Handle h, String runId, List<Tag> tags) {
        if (tags.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO tags (run_uuid, key, value) VALUES (:id, :key, :value)
                ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value""");
        for (Tag tag : tags) {
            batch.bind("id", runId)
                    .bind("key", tag.key())
                    .bind("value", tag.value())
                    .add();
        }
        batch.execute();
    }

    static void insertParams(Handle h, String runId, List<Param> params) {
        if (params.isEmpty()) {
            return;
        }
        Map<String, String> existing = new LinkedHashMap<>();
        h.createQuery("SELECT key, value FROM params WHERE run_uuid = :id AND key IN (<keys>)")
                .bind("id", runId)
                .bindList("keys", params.stream().map(Param::key).toList())
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> existing.put(e.getKey(), e.getValue()));
        List<Param> fresh = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        for (Param p : params) {
            String old = existing.get(p.key());
            if (old == null) {
                fresh.add(p);
            } else if (!old.equals(p.value())) {
                conflicts.add(p.key());
                if (params.size() == 1) {
                    throw MlflowException.invalid(
                            "Changing param values is not allowed. Param with key='%s' was already logged with"
                                    + " value='%s' for run ID='%s'. Attempted logging new value '%s'.",
                            p.key(), old, runId, p.value());
                }
                conflicts.set(
                        conflicts.size() - 1,
                        String.format("{'key': '%s', 'old_value': '%s', 'new_value': '%s'}", p.key(), old, p.value()));
            }
        }
        if (!conflicts.isEmpty()) {
            throw MlflowException.invalid(
                    "Changing param values is not allowed. Params were already logged='%s' for run ID='%s'.",
                    conflicts, runId);
        }
        if (fresh.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("INSERT INTO params (run_uuid, key, value) VALUES (:id, :key, :value)");
        for (Param p : fresh) {
            batch.bind("id", runId)
                    .bind("key", p.key())
                    .bind("value", p.value())
                    .add();
        }
        batch.execute();
    }

    /**
     * Points per multi-row INSERT. One statement per point cost SQLite a reset, a step and their
     * JNI calls per point, and PostgreSQL an execution and its answer per point; 100 rows keep the
     * statement far below both databases' parameter limits.
     */
    static final int ROWS_PER_INSERT = 100;

    private static final String POINTS_SQLITE = pointsSql(Dialect.SQLITE, ROWS_PER_INSERT);
    private static final String POINTS_POSTGRES = pointsSql(Dialect.POSTGRES, ROWS_PER_INSERT);
    private static final String POINT_SQLITE = pointsSql(Dialect.SQLITE, 1);
    private static final String POINT_POSTGRES = pointsSql(Dialect.POSTGRES, 1);

    // The same rule as isLater, in SQL: NaN is stored as 0, so it compares as 0.
    private static final String UPSERT_LATEST = """
            INSERT INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step, experiment_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_uuid, key) DO UPDATE
            SET value = excluded.value, is_nan = excluded.is_nan, timestamp = excluded.timestamp, step = excluded.step
            WHERE excluded.step > latest_metrics.step
               OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
               OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp
                   AND excluded.value > latest_metrics.value)""";
    /** log-metric on PostgreSQL: the point and the latest in one statement, one round trip less. */
    private static final String POINT_AND_LATEST_POSTGRES = "WITH point AS (" + POINT_POSTGRES + ")\n" + UPSERT_LATEST;

    /**
     * An INSERT of {@code rows} points; identical points collapse (ON CONFLICT DO NOTHING, also
     * between rows of one statement). On SQLite every row names the run as {@code ?1}, bound once:
     * SQLite numbers each plain {@code ?} one past the highest so far, so the rest stay positional.
     */
    static String pointsSql(Dialect dialect, int rows) {
        String row = dialect == Dialect.SQLITE ? "(?1, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?)";
        StringBuilder sql =
                new StringBuilder("INSERT INTO metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(row);
        }
        return sql.append(" ON CONFLICT DO NOTHING").toString();
    }

    /** Stores the points and keeps each key's latest one; {@code run} is the run's locked row. */
    static void insertMetrics(Handle h, Dialect dialect, RunInfo run, List<Metric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        Map<String, Metric> latest = new TreeMap<>(); // sorted: rows locked in one order on PostgreSQL
        for (Metric m : metrics) {
            latest.merge(m.key(), m, (old, m2) -> isLater(m2, old) ? m2 : old);
        }
        long experimentId = Long.parseLong(run.experimentId());
        if (dialect == Dialect.POSTGRES && metrics.size() == 1) {
            JdbcStatements.run(h, POINT_AND_LATEST_POSTGRES, ps -> {
                Metric m = metrics.getFirst();
                ps.setString(1, run.runId());
                bindPoint(ps, 2, m);
                ps.setString(7, run.runId());
                bindPoint(ps, 8, m);
                ps.setLong(13, experimentId);
                ps.executeUpdate();
            });
            return;
        }
        insertPoints(h, dialect, run.runId(), metrics);
        JdbcStatements.run(h, UPSERT_LATEST, ps -> {
            for (Metric m : latest.values()) {
                ps.setString(1, run.runId());
                bindPoint(ps, 2, m);
                ps.setLong(7, experimentId);
                ps.addBatch();
            }
            ps.executeBatch();
        });
    }

    /** The points, {@link #ROWS_PER_INSERT} per statement, and the rest one per row. */
    private static void insertPoints(Handle h, Dialect dialect, String runId, List<Metric> metrics) {
        boolean sqlite = dialect == Dialect.SQLITE;
        int full = metrics.size() - metrics.size() % ROWS_PER_INSERT;
        if (full > 0) {
            JdbcStatements.run(h, sqlite ? POINTS_SQLITE : POINTS_POSTGRES, ps -> {
                for (int start = 0; start < full; start += ROWS_PER_INSERT) {
                    bindRows(ps, sqlite, runId, metrics.subList(start, start + ROWS_PER_INSERT));
                    ps.addBatch();
                }
                ps.executeBatch();
            });
        }
        if (full < metrics.size()) {
            JdbcStatements.run(h, sqlite ? POINT_SQLITE : POINT_POSTGRES, ps -> {
                for (Metric m : metrics.subList(full, metrics.size())) {
                    bindRows(ps, sqlite, runId, List.of(m));
                    ps.addBatch();
                }
                ps.executeBatch();
            });
        }
    }

    private static void bindRows(PreparedStatement ps, boolean sqlite, String runId, List<Metric> rows)
            throws SQLException {
        int p = 1;
        if (sqlite) {
            ps.setString(p++, runId); // ?1, named by every row
        }
        for (Metric m : rows) {
            if (!sqlite) {
                ps.setString(p++, runId);
            }
            p = bindPoint(ps, p, m);
        }
    }

    /** Binds key, stored value, is_nan, timestamp and step from {@code p}; returns the next index. */
    private static int bindPoint(PreparedStatement ps, int p, Metric m) throws SQLException {
        ps.setString(p, m.key());
        ps.setDouble(p + 1, storedValue(m));
        ps.setInt(p + 2, Double.isNaN(m.value()) ? 1 : 0);
        ps.setLong(p + 3, m.timestamp());
        ps.setLong(p + 4, m.step());
        return p + 5;
    }

    /**
     * MLflow's latest-metric rule: {@code a} replaces {@code b} when its (step, timestamp, value) is
     * strictly greater, NaN counting as the 0 it is stored as; on a tie the earlier point stays.
     */
    static boolean isLater(Metric a, Metric b) {
        if (a.step() != b.step()) {
            return a.step() > b.step();
        }
        if (a.timestamp() != b.timestamp()) {
            return a.timestamp() > b.timestamp();
        }
        return storedValue(a) > storedValue(b);
    }

    private static double storedValue(Metric m) {
        return Double.isNaN(m.value()) ? 0.0 : m.value();
    }

    /**
     * Links datasets to the run. The same (name, digest) again, in this call or an earlier one, is a
     * no-op that keeps the first input's tags, as in MLflow.
     */
    static void insertInputs(Handle h, RunInfo run, List<DatasetInput> inputs) {
        long experimentId = Long.parseLong(run.experimentId());
        Map<List<String>, DatasetInput> unique =
                new TreeMap<>(Comparator.comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
        // Sorted: concurrent writers then insert datasets in one order and cannot deadlock.
        for (DatasetInput input : inputs) {
            unique.putIfAbsent(List.of(input.dataset().name(), input.dataset().digest()), input);
        }
        for (DatasetInput input : unique.values()) {
            String datasetUuid = datasetUuid(h, experimentId, input.dataset());
            int added = h.createUpdate("""
                            INSERT INTO run_inputs (run_uuid, dataset_uuid) VALUES (:run, :uuid) ON CONFLICT DO NOTHING""")
                    .bind("run", run.runId())
                    .bind("uuid", datasetUuid)
                    .execute();
            if (added > 0) {
                insertInputTags(h, run.runId(), datasetUuid, input.tags());
            }
        }
    }

    /** The id of the experiment's dataset with this name and digest, stored now if it is new. */
    private static String datasetUuid(Handle h, long experimentId, Dataset d) {
        // ON CONFLICT: another run of the experiment may be storing the same dataset right now.
        h.createUpdate("""
                        INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, source_type, source, schema, profile)
                        VALUES (:uuid, :exp, :name, :digest, :stype, :source, :schema, :profile)
                        ON CONFLICT (experiment_id, name, digest) DO NOTHING""")
                .bind("uuid", UUID.randomUUID().toString().replace("-", ""))
                .bind("exp", experimentId)
                .bind("name", d.name())
                .bind("digest", d.digest())
                .bind("stype", d.sourceType())
                .bind("source", d.source())
                .bind("schema", d.schema())
                .bind("profile", d.profile())
                .execute();
        return h.createQuery("""
                        SELECT dataset_uuid FROM datasets WHERE experiment_id = :exp AND name = :name AND digest = :digest""")
                .bind("exp", experimentId)
                .bind("name", d.name())
                .bind("digest", d.digest())
                .mapTo(String.class)
                .one();
    }

    private static void insertInputTags(Handle h, String runId, String datasetUuid, List<Tag> tags) {
        for (Tag tag : tags) {
            h.createUpdate("""
                            INSERT INTO input_tags (run_uuid, dataset_uuid, key, value) VALUES (:run, :uuid, :key, :value)
                            ON CONFLICT DO NOTHING""")
                    .bind("run", runId)
                    .bind("uuid", datasetUuid)
                    .bind("key", tag.key())
                    .bind("value", tag.value())
                    .execute();
        }
    }
}
