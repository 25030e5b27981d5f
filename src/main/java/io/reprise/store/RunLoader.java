package io.reprise.store;

import io.reprise.model.Dataset;
import io.reprise.model.DatasetInput;
import io.reprise.model.Metric;
import io.reprise.model.ModelOutput;
import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.model.RunData;
import io.reprise.model.RunInfo;
import io.reprise.model.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** Loads whole runs (info, data, inputs) for a list of ids with one query per table, binding the ids once. */
final class RunLoader {
    private RunLoader() {}

    /** The runs with these ids, in the order given; unknown ids are skipped. */
    static List<Run> load(Handle h, Dialect dialect, List<String> runIds) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        Map<String, RunInfo> infos = new HashMap<>();
        query(h, dialect, "SELECT " + Rows.RUN_COLUMNS + " FROM runs r WHERE " + dialect.inIds("r.run_uuid"), runIds)
                .map((rs, ctx) -> Rows.runInfo(rs))
                .forEach(info -> infos.put(info.runId(), info));
        Map<String, List<Param>> params = byRun(h, dialect, "params", runIds, kv -> new Param(kv.key(), kv.value()));
        Map<String, List<Tag>> tags = byRun(h, dialect, "tags", runIds, kv -> new Tag(kv.key(), kv.value()));
        Map<String, List<Metric>> metrics = new HashMap<>();
        query(
                        h,
                        dialect,
                        "SELECT run_uuid, key, value, is_nan, timestamp, step FROM latest_metrics WHERE "
                                + dialect.inIds("run_uuid") + " ORDER BY key",
                        runIds)
                .map((rs, ctx) -> Map.entry(rs.getString("run_uuid"), Rows.metric(rs)))
                .forEach(e -> metrics.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(e.getValue()));
        Map<String, List<DatasetInput>> inputs = inputs(h, dialect, runIds);
        Map<String, List<String>> modelInputs = new HashMap<>();
        query(
                        h,
                        dialect,
                        "SELECT run_uuid, model_id FROM run_model_inputs WHERE " + dialect.inIds("run_uuid")
                                + " ORDER BY model_id",
                        runIds)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> modelInputs
                        .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(e.getValue()));
        Map<String, List<ModelOutput>> modelOutputs = new HashMap<>();
        query(
                        h,
                        dialect,
                        "SELECT run_uuid, model_id, step FROM run_model_outputs WHERE " + dialect.inIds("run_uuid")
                                + " ORDER BY step, model_id",
                        runIds)
                .map((rs, ctx) -> Map.entry(rs.getString(1), new ModelOutput(rs.getString(2), rs.getLong(3))))
                .forEach(e -> modelOutputs
                        .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(e.getValue()));
        List<Run> runs = new ArrayList<>(runIds.size());
        for (String id : runIds) {
            RunInfo info = infos.get(id);
            if (info != null) {
                RunData data = new RunData(
                        metrics.getOrDefault(id, List.of()),
                        params.getOrDefault(id, List.of()),
                        tags.getOrDefault(id, List.of()));
                runs.add(new Run(
                        info,
                        data,
                        inputs.getOrDefault(id, List.of()),
                        modelInputs.getOrDefault(id, List.of()),
                        modelOutputs.getOrDefault(id, List.of())));
            }
        }
        return runs;
    }

    private static Query query(Handle h, Dialect dialect, String sql, List<String> runIds) {
        return dialect.bindIds(h.createQuery(sql), runIds);
    }

    private record KeyValue(String runId, String key, String value) {}

    private static <T> Map<String, List<T>> byRun(
            Handle h, Dialect dialect, String table, List<String> runIds, Function<KeyValue, T> make) {
        Map<String, List<T>> out = new HashMap<>();
        String sql =
                "SELECT run_uuid, key, value FROM " + table + " WHERE " + dialect.inIds("run_uuid") + " ORDER BY key";
        query(h, dialect, sql, runIds)
                .map((rs, ctx) -> new KeyValue(rs.getString(1), rs.getString(2), rs.getString(3)))
                .forEach(kv ->
                        out.computeIfAbsent(kv.runId(), k -> new ArrayList<>()).add(make.apply(kv)));
        return out;
    }

    private static Map<String, List<DatasetInput>> inputs(Handle h, Dialect dialect, List<String> runIds) {
        // Per run, its datasets by dataset id, in name and digest order.
        Map<String, Map<String, Dataset>> datasets = new HashMap<>();
        query(h, dialect, """
                        SELECT i.run_uuid, d.dataset_uuid, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
                        FROM run_inputs i JOIN datasets d ON d.dataset_uuid = i.dataset_uuid
                        WHERE\s""" + dialect.inIds("i.run_uuid") + " ORDER BY d.name, d.digest", runIds)
                .map((rs, ctx) -> Map.entry(
                        List.of(rs.getString("run_uuid"), rs.getString("dataset_uuid")),
                        new Dataset(
                                rs.getString("name"),
                                rs.getString("digest"),
                                rs.getString("source_type"),
                                rs.getString("source"),
                                rs.getString("schema"),
                                rs.getString("profile"))))
                .forEach(e -> datasets.computeIfAbsent(e.getKey().get(0), k -> new LinkedHashMap<>())
                        .put(e.getKey().get(1), e.getValue()));
        if (datasets.isEmpty()) {
            return Map.of();
        }
        Map<String, List<Tag>> tags = new HashMap<>();
        String tagSql = "SELECT run_uuid, dataset_uuid, key, value FROM input_tags WHERE " + dialect.inIds("run_uuid")
                + " ORDER BY key";
        query(h, dialect, tagSql, runIds)
                .map((rs, ctx) -> Map.entry(
                        rs.getString("run_uuid") + "/" + rs.getString("dataset_uuid"),
                        new Tag(rs.getString("key"), rs.getString("value"))))
                .forEach(e ->
                        tags.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        Map<String, List<DatasetInput>> out = new HashMap<>();
        datasets.forEach((runId, byUuid) ->
                byUuid.forEach((uuid, d) -> out.computeIfAbsent(runId, k -> new ArrayList<>())
                        .add(new DatasetInput(d, tags.getOrDefault(runId + "/" + uuid, List.of())))));
        return out;
    }
}
