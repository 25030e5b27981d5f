package io.reprise.store;

import io.reprise.model.LifecycleStage;
import io.reprise.model.LoggedModel;
import io.reprise.model.LoggedModelStatus;
import io.reprise.model.Metric;
import io.reprise.model.MlflowException;
import io.reprise.model.ModelMetric;
import io.reprise.model.Page;
import io.reprise.model.Param;
import io.reprise.model.Tag;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL of logged models; every method runs inside the caller's transaction or handle. */
final class LoggedModelSql {
    private static final String COLUMNS = "m.model_id, m.experiment_id, m.name, m.artifact_location,"
            + " m.creation_timestamp_ms, m.last_updated_timestamp_ms, m.status, m.lifecycle_stage, m.model_type,"
            + " m.source_run_id, m.status_message";

    private LoggedModelSql() {}

    static void insert(Handle h, LoggedModel m) {
        h.createUpdate("""
                        INSERT INTO logged_models (model_id, experiment_id, name, artifact_location,
                            creation_timestamp_ms, last_updated_timestamp_ms, status, lifecycle_stage, model_type,
                            source_run_id, status_message)
                        VALUES (:id, :exp, :name, :loc, :now, :now, :status, 'active', :type, :run, NULL)""")
                .bind("id", m.modelId())
                .bind("exp", Long.parseLong(m.experimentId()))
                .bind("name", m.name())
                .bind("loc", m.artifactLocation())
                .bind("now", m.creationTimestampMs())
                .bind("status", m.status().number())
                .bind("type", m.modelType())
                .bind("run", m.sourceRunId())
                .execute();
        upsertTags(h, m.modelId(), m.tags());
        insertParams(h, m.modelId(), m.params());
    }

    /** The model, deleted or not, its row locked with {@code lock} until commit. */
    static Optional<LoggedModel> find(Handle h, String modelId, String lock) {
        return h.createQuery("SELECT " + COLUMNS + " FROM logged_models m WHERE m.model_id = :id" + lock)
                .bind("id", modelId)
                .map((rs, ctx) -> row(rs))
                .findOne();
    }

    private static LoggedModel row(ResultSet rs) throws SQLException {
        return new LoggedModel(
                rs.getString(1),
                String.valueOf(rs.getLong(2)),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                rs.getLong(6),
                LoggedModelStatus.of(rs.getInt(7)),
                LifecycleStage.fromWire(rs.getString(8)),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11),
                List.of(),
                List.of(),
                List.of());
    }

    /** The model with its tags, params and metrics; RESOURCE_DOES_NOT_EXIST with MLflow's message if none. */
    static LoggedModel load(Handle h, Dialect dialect, String modelId) {
        List<LoggedModel> found = loadAll(h, dialect, List.of(modelId));
        if (found.isEmpty()) {
            throw notFound(modelId);
        }
        return found.getFirst();
    }

    /** The models with these ids, in this order, with one query per table whatever their number. */
    static List<LoggedModel> loadAll(Handle h, Dialect dialect, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, LoggedModel> rows = new HashMap<>();
        dialect.bindIds(
                        h.createQuery(
                                "SELECT " + COLUMNS + " FROM logged_models m WHERE " + dialect.inIds("m.model_id")),
                        ids)
                .map((rs, ctx) -> row(rs))
                .forEach(m -> rows.put(m.modelId(), m));
        Map<String, List<Tag>> tags = new HashMap<>();
        byModel(h, dialect, "logged_model_tags", ids)
                .forEach(kv ->
                        tags.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(new Tag(kv[1], kv[2])));
        Map<String, List<Param>> params = new HashMap<>();
        byModel(h, dialect, "logged_model_params", ids)
                .forEach(kv ->
                        params.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(new Param(kv[1], kv[2])));
        Map<String, List<ModelMetric>> metrics = new HashMap<>();
        dialect.bindIds(
                        h.createQuery("""
                                SELECT model_id, key, value, is_nan, timestamp, step, run_uuid, dataset_name,
                                       dataset_digest
                                FROM logged_model_metrics WHERE\s""" + dialect.inIds("model_id") + " ORDER BY key, timestamp, step, run_uuid"),
                        ids)
                .map((rs, ctx) -> new ModelMetric(
                        rs.getString("model_id"),
                        rs.getString("run_uuid"),
                        rs.getString("dataset_name"),
                        rs.getString("dataset_digest"),
                        Rows.metric(rs)))
                .forEach(mm -> metrics.computeIfAbsent(mm.modelId(), k -> new ArrayList<>())
                        .add(mm));
        List<LoggedModel> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            LoggedModel m = rows.get(id);
            if (m != null) {
                out.add(new LoggedModel(
                        m.modelId(),
                        m.experimentId(),
                        m.name(),
                        m.artifactLocation(),
                        m.creationTimestampMs(),
                        m.lastUpdatedTimestampMs(),
                        m.status(),
                        m.lifecycleStage(),
                        m.modelType(),
                        m.sourceRunId(),
                        m.statusMessage(),
                        tags.getOrDefault(id, List.of()),
                        params.getOrDefault(id, List.of()),
                        metrics.getOrDefault(id, List.of())));
            }
        }
        return out;
    }

    private static List<String[]> byModel(Handle h, Dialect dialect, String table, List<String> ids) {
        String sql =
                "SELECT model_id, key, value FROM " + table + " WHERE " + dialect.inIds("model_id") + " ORDER BY key";
        return dialect.bindIds(h.createQuery(sql), ids)
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                .list();
    }

    /** Stores model metric points; a point already stored (same key, time, step and run) is kept. */
    static void insertMetrics(Handle h, long experimentId, List<ModelMetric> metrics) {
        for (ModelMetric mm : metrics) {
            Metric m = mm.metric();
            boolean nan = Double.isNaN(m.value());
            h.createUpdate("""
                            INSERT INTO logged_model_metrics (model_id, key, timestamp, step, run_uuid, value, is_nan,
                                                              experiment_id, dataset_name, dataset_digest)
                            VALUES (:model, :key, :ts, :step, :run, :value, :nan, :exp, :dname, :ddigest)
                            ON CONFLICT DO NOTHING""")
                    .bind("model", mm.modelId())
                    .bind("key", m.key())
                    .bind("ts", m.timestamp())
                    .bind("step", m.step())
                    .bind("run", mm.runId())
                    .bind("value", nan ? 0.0 : m.value())
                    .bind("nan", nan ? 1 : 0)
                    .bind("exp", experimentId)
                    .bind("dname", mm.datasetName())
                    .bind("ddigest", mm.datasetDigest())
                    .execute();
        }
    }

    static MlflowException notFound(String modelId) {
        return MlflowException.notFound("Logged model with ID '%s' not found.", modelId);
    }

    private static List<String[]> keyValues(Handle h, String table, String modelId) {
        return h.createQuery("SELECT key, value FROM " + table + " WHERE model_id = :id ORDER BY key")
                .bind("id", modelId)
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .list();
    }

    /** Sets tags; a key repeated in one call keeps its last value, as in MLflow. */
    static void upsertTags(Handle h, String modelId, List<Tag> tags) {
        Map<String, String> last = new LinkedHashMap<>();
        tags.forEach(t -> last.put(t.key(), t.value()));
        last.forEach((key, value) -> h.createUpdate("""
                        INSERT INTO logged_model_tags (model_id, key, value) VALUES (:id, :key, :value)
                        ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value""")
                .bind("id", modelId)
                .bind("key", key)
                .bind("value", value)
                .execute());
    }

    /**
     * Adds params. MLflow's insert fails on a key the model already has; here the same value again
     * is a no-op and another value is refused, as run params are.
     */
    static void insertParams(Handle h, String modelId, List<Param> params) {
        Map<String, String> existing = new HashMap<>();
        keyValues(h, "logged_model_params", modelId).forEach(kv -> existing.put(kv[0], kv[1]));
        for (Param p : params) {
            String old = existing.putIfAbsent(p.key(), p.value());
            if (old != null) {
                if (!old.equals(p.value())) {
                    throw MlflowException.invalid(
                            "Changing param values is not allowed. Param with key='%s' was already logged with"
                                    + " value='%s' for logged model ID='%s'. Attempted logging new value '%s'.",
                            p.key(), old, modelId, p.value());
                }
                continue;
            }
            h.createUpdate("INSERT INTO logged_model_params (model_id, key, value) VALUES (:id, :key, :value)")
                    .bind("id", modelId)
                    .bind("key", p.key())
                    .bind("value", p.value())
                    .execute();
        }
    }

    static void touch(Handle h, String modelId, String assignment, Object value, long now) {
        h.createUpdate("UPDATE logged_models SET " + assignment + ", last_updated_timestamp_ms = :now"
                        + " WHERE model_id = :id")
                .bind("v", value)
                .bind("now", now)
                .bind("id", modelId)
                .execute();
    }

    /** One page of active models in the experiments, filtered and sorted as MLflow's SQL store does. */
    static Page<LoggedModel> search(Handle h, Dialect dialect, LoggedModelQuery q) {
        SqlBuilder sql = new SqlBuilder();
        List<Long> experiments = q.experimentIds().stream()
                .map(JdbcTrackingStore::experimentIdNumberOrNegative)
                .toList();
        StringBuilder where = new StringBuilder("m.lifecycle_stage <> 'deleted' AND m.experiment_id IN (")
                .append(sql.bindAll(experiments))
                .append(')');
        for (LoggedModelFilter.Term t : LoggedModelFilter.parse(q.filter())) {
            where.append(" AND ").append(condition(t, dialect, sql));
        }
        int offset = PageToken.decodeOffset(q.pageToken());
        String text = "SELECT m.model_id FROM logged_models m WHERE " + where + orderBy(q.orderBy(), dialect, sql)
                + " LIMIT " + sql.bind(q.maxResults() + 1L) + " OFFSET " + sql.bind(offset);
        List<String> ids = sql.query(h, text).mapTo(String.class).list();
        String token = null;
        if (ids.size() > q.maxResults()) {
            ids = ids.subList(0, q.maxResults());
            token = PageToken.encodeOffset(offset + q.maxResults());
        }
        return new Page<>(loadAll(h, dialect, ids), token);
    }

    private static String condition(LoggedModelFilter.Term t, Dialect dialect, SqlBuilder sql) {
        return switch (t.kind()) {
            case ATTRIBUTE -> compare("m." + t.key(), t, dialect, sql);
            case PARAM -> keyValue("logged_model_params", t, dialect, sql);
            case TAG -> keyValue("logged_model_tags", t, dialect, sql);
            // any point of the metric matches, as in MLflow (not only the latest)
            case METRIC ->
                "EXISTS (SELECT 1 FROM logged_model_metrics mm WHERE mm.model_id = m.model_id AND mm.key = "
                        + sql.bind(t.key()) + " AND " + compare("mm.value", t, dialect, sql) + ")";
        };
    }

    private static String keyValue(String table, LoggedModelFilter.Term t, Dialect dialect, SqlBuilder sql) {
        return "EXISTS (SELECT 1 FROM " + table + " kv WHERE kv.model_id = m.model_id AND kv.key = " + sql.bind(t.key())
                + " AND " + compare("kv.value", t, dialect, sql) + ")";
    }

    private static String compare(String column, LoggedModelFilter.Term t, Dialect dialect, SqlBuilder sql) {
        Object first = t.values().getFirst();
        if (column.equals("m.experiment_id") || column.equals("m.status")) {
            // integer columns compared with text: compare their text form, as the database would cast
            column = "CAST(" + column + " AS TEXT)";
        }
        return switch (t.op()) {
            case "LIKE" -> column + " LIKE " + sql.bind(first);
            case "ILIKE" -> dialect.ilike(column, sql.bind(first));
            case "IN" -> column + " IN (" + sql.bindAll(t.values()) + ")";
            case "NOT IN" -> column + " NOT IN (" + sql.bindAll(t.values()) + ")";
            default -> column + " " + t.op() + " " + sql.bind(first);
        };
    }

    private static String orderBy(List<LoggedModelQuery.Order> orders, Dialect dialect, SqlBuilder sql) {
        StringBuilder out = new StringBuilder(" ORDER BY ");
        boolean creation = false;
        boolean id = false;
        for (LoggedModelQuery.Order o : orders) {
            String field = o.fieldName();
            if (field.contains(".")) {
                if (!field.startsWith("metrics.")) {
                    throw MlflowException.invalid(
                            "Invalid order by field name: %s. Only metrics are supported.", field);
                }
                // the model's latest point of the metric: newest timestamp, then step, then run id
                String latest = "(SELECT mm.value FROM logged_model_metrics mm WHERE mm.model_id = m.model_id"
                        + " AND mm.key = " + sql.bind(field.substring("metrics.".length()))
                        + " ORDER BY mm.timestamp DESC, mm.step DESC, mm.run_uuid ASC LIMIT 1)";
                out.append("CASE WHEN ")
                        .append(latest)
                        .append(" IS NULL THEN 1 ELSE 0 END, ")
                        .append(latest)
                        .append(o.ascending() ? " ASC, " : " DESC, ");
                continue;
            }
            String column = LoggedModelFilter.ALIASES.getOrDefault(field, field);
            if (!LoggedModelFilter.COLUMNS.contains(column)) {
                throw MlflowException.invalid("Invalid order by field name: %s", field);
            }
            creation |= column.equals("creation_timestamp_ms");
            id |= column.equals("model_id");
            String c = "m." + column;
            // nulls last, whatever the direction, as MLflow sorts
            out.append("CASE WHEN ")
                    .append(c)
                    .append(" IS NULL THEN 1 ELSE 0 END, ")
                    .append(isText(column) ? dialect.binaryText(c) : c)
                    .append(o.ascending() ? " ASC, " : " DESC, ");
        }
        if (!creation) {
            out.append("m.creation_timestamp_ms DESC, ");
        }
        if (!id) {
            out.append("m.model_id ASC, ");
        }
        return out.substring(0, out.length() - 2);
    }

    private static boolean isText(String column) {
        return !column.endsWith("_ms") && !column.equals("experiment_id") && !column.equals("status");
    }
}
