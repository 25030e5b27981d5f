package io.reprise.store;

import io.reprise.model.DatasetInput;
import io.reprise.model.LifecycleStage;
import io.reprise.model.Metric;
import io.reprise.model.MlflowException;
import io.reprise.model.Param;
import io.reprise.model.RunInfo;
import io.reprise.model.Tag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The SQL of run writes; every method runs inside the caller's transaction. */
final class RunWriter {
    static final String RUN_NAME_TAG = "mlflow.runName";

    // MLflow's latest-metric rule: the greatest (step, timestamp, value) wins.
    static final Comparator<Metric> LATEST = Comparator.comparingLong(Metric::step)
            .thenComparingLong(Metric::timestamp)
            .thenComparingDouble(Metric::value);

    private RunWriter() {}

    static RunInfo info(Handle h, String runId) {
        return h.createQuery("SELECT " + Rows.RUN_COLUMNS + " FROM runs r WHERE r.run_uuid = :id")
                .bind("id", runId)
                .map((rs, ctx) -> Rows.runInfo(rs))
                .findOne()
                .orElseThrow(() -> JdbcTrackingStore.runNotFound(runId));
    }

    static RunInfo activeRun(Handle h, String runId) {
        RunInfo info = info(h, runId);
        if (info.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw MlflowException.invalid(
                    "The run %s must be in the 'active' state. Current state is %s.",
                    runId, info.lifecycleStage().wire());
        }
        return info;
    }

    static RunInfo update(Handle h, RunUpdate u) {
        activeRun(h, u.runId());
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
        if (u.runName() != null && !u.runName().isEmpty()) {
            upsertTags(h, u.runId(), List.of(new Tag(RUN_NAME_TAG, u.runName())));
        }
        return info(h, u.runId());
    }

    static void upsertTags(Handle h, String runId, List<Tag> tags) {
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
            if (tag.key().equals(RUN_NAME_TAG)) {
                h.createUpdate("UPDATE runs SET name = :name WHERE run_uuid = :id")
                        .bind("name", tag.value())
                        .bind("id", runId)
                        .execute();
            }
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

    static void insertMetrics(Handle h, String runId, List<Metric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        PreparedBatch points = h.prepareBatch("""
                INSERT INTO metrics (run_uuid, key, value, is_nan, timestamp, step)
                VALUES (:id, :key, :value, :nan, :ts, :step) ON CONFLICT DO NOTHING""");
        Map<String, Metric> latest = new LinkedHashMap<>();
        for (Metric m : metrics) {
            bindMetric(points, runId, m);
            latest.merge(m.key(), m, (a, b) -> LATEST.compare(b, a) > 0 ? b : a);
        }
        points.execute();
        PreparedBatch upsert = h.prepareBatch("""
                INSERT INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step)
                VALUES (:id, :key, :value, :nan, :ts, :step)
                ON CONFLICT (run_uuid, key) DO UPDATE
                SET value = excluded.value, is_nan = excluded.is_nan, timestamp = excluded.timestamp, step = excluded.step
                WHERE excluded.step > latest_metrics.step
                   OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
                   OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp
                       AND excluded.value > latest_metrics.value)""");
        latest.values().forEach(m -> bindMetric(upsert, runId, m));
        upsert.execute();
    }

    private static void bindMetric(PreparedBatch batch, String runId, Metric m) {
        boolean nan = Double.isNaN(m.value());
        batch.bind("id", runId)
                .bind("key", m.key())
                .bind("value", nan ? 0.0 : m.value())
                .bind("nan", nan ? 1 : 0)
                .bind("ts", m.timestamp())
                .bind("step", m.step())
                .add();
    }

    static void insertInputs(Handle h, RunInfo run, List<DatasetInput> inputs) {
        long experimentId = Long.parseLong(run.experimentId());
        for (DatasetInput input : inputs) {
            var d = input.dataset();
            String datasetUuid = h.createQuery("""
                            SELECT dataset_uuid FROM datasets WHERE experiment_id = :exp AND name = :name AND digest = :digest""")
                    .bind("exp", experimentId)
                    .bind("name", d.name())
                    .bind("digest", d.digest())
                    .mapTo(String.class)
                    .findOne()
                    .orElse(null);
            if (datasetUuid == null) {
                datasetUuid = UUID.randomUUID().toString().replace("-", "");
                h.createUpdate("""
                                INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, source_type, source, schema, profile)
                                VALUES (:uuid, :exp, :name, :digest, :stype, :source, :schema, :profile)""")
                        .bind("uuid", datasetUuid)
                        .bind("exp", experimentId)
                        .bind("name", d.name())
                        .bind("digest", d.digest())
                        .bind("stype", d.sourceType())
                        .bind("source", d.source())
                        .bind("schema", d.schema())
                        .bind("profile", d.profile())
                        .execute();
            }
            int added = h.createUpdate("""
                            INSERT INTO run_inputs (run_uuid, dataset_uuid) VALUES (:run, :uuid) ON CONFLICT DO NOTHING""")
                    .bind("run", run.runId())
                    .bind("uuid", datasetUuid)
                    .execute();
            if (added > 0) {
                for (Tag tag : input.tags()) {
                    h.createUpdate("""
                                    INSERT INTO input_tags (run_uuid, dataset_uuid, key, value) VALUES (:run, :uuid, :key, :value)
                                    ON CONFLICT DO NOTHING""")
                            .bind("run", run.runId())
                            .bind("uuid", datasetUuid)
                            .bind("key", tag.key())
                            .bind("value", tag.value())
                            .execute();
                }
            }
        }
    }
}
