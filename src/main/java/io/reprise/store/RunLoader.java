package io.reprise.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.reprise.model.Dataset;
import io.reprise.model.DatasetInput;
import io.reprise.model.LifecycleStage;
import io.reprise.model.Metric;
import io.reprise.model.ModelOutput;
import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.model.RunData;
import io.reprise.model.RunInfo;
import io.reprise.model.RunStatus;
import io.reprise.model.Tag;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Loads whole runs (info, data, inputs) for a list of ids with one query per table, binding the ids once.
 *
 * <p>A search page is ~3,300 rows (100 runs of 20 params, 10 metrics, 2 tags), so rows are read
 * straight from each {@link ResultSet} by column position: JDBI's per-row mapping (a mapper call,
 * a stream stage and column lookups by name per row) cost more than reading the rows. Child rows
 * are asked for in (run, key) order, which SQLite reads from the primary key without sorting (half
 * its time for 2,000 params, against ORDER BY key), and are grouped per run as they come; on SQLite params and tags come as one JSON value per
 * run (see {@link Loader#keyValues}).
 */
final class RunLoader {
    private RunLoader() {}

    /** Reads one row's value (the run id in column 1 aside). */
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** The runs with these ids, in the order given; unknown ids are skipped. */
    static List<Run> load(Handle h, Dialect dialect, List<String> runIds) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        Loader l = new Loader(h, dialect, runIds);
        Map<String, RunInfo> infos = new HashMap<>();
        l.scan("SELECT " + Rows.RUN_COLUMNS + " FROM runs r WHERE " + dialect.inIds("r.run_uuid"), rs -> {
            RunInfo info = runInfo(rs);
            infos.put(info.runId(), info);
        });
        Map<String, List<Param>> params = l.keyValues("params", Param::new);
        Map<String, List<Tag>> tags = l.keyValues("tags", Tag::new);
        Map<String, List<Metric>> metrics = l.byRun(
                "SELECT run_uuid, key, value, is_nan, timestamp, step FROM latest_metrics WHERE "
                        + dialect.inIds("run_uuid") + " ORDER BY run_uuid, key",
                rs -> new Metric(
                        rs.getString(2),
                        rs.getInt(4) == 1 ? Double.NaN : rs.getDouble(3),
                        rs.getLong(5),
                        rs.getLong(6)));
        Map<String, List<DatasetInput>> inputs = inputs(l);
        Map<String, List<String>> modelInputs = l.byRun(
                "SELECT run_uuid, model_id FROM run_model_inputs WHERE " + dialect.inIds("run_uuid")
                        + " ORDER BY run_uuid, model_id",
                rs -> rs.getString(2));
        Map<String, List<ModelOutput>> modelOutputs = l.byRun(
                "SELECT run_uuid, model_id, step FROM run_model_outputs WHERE " + dialect.inIds("run_uuid")
                        + " ORDER BY run_uuid, step, model_id",
                rs -> new ModelOutput(rs.getString(2), rs.getLong(3)));
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

    /** {@link Rows#RUN_COLUMNS} by position. */
    private static RunInfo runInfo(ResultSet rs) throws SQLException {
        long end = rs.getLong(7);
        Long endTime = rs.wasNull() ? null : end;
        return new RunInfo(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                RunStatus.valueOf(rs.getString(5)),
                rs.getLong(6),
                endTime,
                rs.getString(8),
                LifecycleStage.fromWire(rs.getString(9)));
    }

    private static Map<String, List<DatasetInput>> inputs(Loader l) {
        // Per run, its datasets by dataset id, in name and digest order.
        Map<String, Map<String, Dataset>> datasets = new HashMap<>();
        l.scan(
                """
                SELECT i.run_uuid, d.dataset_uuid, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
                FROM run_inputs i JOIN datasets d ON d.dataset_uuid = i.dataset_uuid
                WHERE\s""" + l.dialect.inIds("i.run_uuid") + " ORDER BY d.name, d.digest",
                rs -> datasets.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                        .put(
                                rs.getString(2),
                                new Dataset(
                                        rs.getString(3),
                                        rs.getString(4),
                                        rs.getString(5),
                                        rs.getString(6),
                                        rs.getString(7),
                                        rs.getString(8))));
        if (datasets.isEmpty()) {
            return Map.of();
        }
        Map<String, List<Tag>> tags = new HashMap<>();
        l.scan(
                "SELECT run_uuid, dataset_uuid, key, value FROM input_tags WHERE " + l.dialect.inIds("run_uuid")
                        + " ORDER BY key",
                rs -> tags.computeIfAbsent(rs.getString(1) + "/" + rs.getString(2), k -> new ArrayList<>())
                        .add(new Tag(rs.getString(3), rs.getString(4))));
        Map<String, List<DatasetInput>> out = new HashMap<>();
        datasets.forEach((runId, byUuid) ->
                byUuid.forEach((uuid, d) -> out.computeIfAbsent(runId, k -> new ArrayList<>())
                        .add(new DatasetInput(d, tags.getOrDefault(runId + "/" + uuid, List.of())))));
        return out;
    }

    private static final JsonFactory JSON = new JsonFactory();

    /** {@code [[key, value], ...]} as made by {@link Loader#keyValues}. */
    private static <T> List<T> pairs(String json, KeyValue<T> make) {
        List<T> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_ARRAY);
            while (p.nextToken() == JsonToken.START_ARRAY) {
                expect(p.nextToken(), JsonToken.VALUE_STRING);
                String key = p.getText();
                expect(p.nextToken(), JsonToken.VALUE_STRING);
                out.add(make.of(key, p.getText()));
                expect(p.nextToken(), JsonToken.END_ARRAY);
            }
        } catch (IOException e) {
            throw new IllegalStateException("SQLite returned malformed JSON", e);
        }
        return out;
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalStateException("SQLite returned " + actual + " where " + expected + " belongs");
        }
    }

    /** Rows collected per run, the current run's list kept at hand. */
    private static final class Group<T> {
        final Map<String, List<T>> byRun = new HashMap<>();
        private String runId;
        private List<T> rows;

        void add(String id, T row) {
            if (!id.equals(runId)) {
                runId = id;
                rows = byRun.computeIfAbsent(id, k -> new ArrayList<>());
            }
            rows.add(row);
        }
    }

    /** Makes a param or a tag. */
    @FunctionalInterface
    private interface KeyValue<T> {
        T of(String key, String value);
    }

    /** Runs queries over one bound list of run ids, reading their rows without per-row mapping. */
    private static final class Loader {
        private final Handle h;
        private final Dialect dialect;
        private final List<String> runIds;

        Loader(Handle h, Dialect dialect, List<String> runIds) {
            this.h = h;
            this.dialect = dialect;
            this.runIds = runIds;
        }

        @FunctionalInterface
        interface RowConsumer {
            void accept(ResultSet rs) throws SQLException;
        }

        void scan(String sql, RowConsumer row) {
            // JDBI closes the result set and wraps an SQLException, as for mapped queries.
            dialect.bindIds(h.createQuery(sql), runIds).scanResultSet((supplier, ctx) -> {
                ResultSet rs = supplier.get();
                while (rs.next()) {
                    row.accept(rs);
                }
                return null;
            });
        }

        /**
         * A key/value table's rows per run, in key order. On SQLite each run's pairs come as one
         * JSON array ({@code [[key, value], ...]}): sqlite-jdbc reads every column through JNI, and
         * 2,000 params as one value per run cost half of 2,000 rows of three (1.55 -> 0.82 ms at
         * 100 runs); JSON carries text exactly. PostgreSQL's driver reads columns cheaply: plain rows.
         */
        <T> Map<String, List<T>> keyValues(String table, KeyValue<T> make) {
            if (dialect != Dialect.SQLITE) {
                return byRun(
                        "SELECT run_uuid, key, value FROM " + table + " WHERE " + dialect.inIds("run_uuid")
                                + " ORDER BY run_uuid, key",
                        rs -> make.of(rs.getString(2), rs.getString(3)));
            }
            Map<String, List<T>> out = new HashMap<>();
            scan(
                    "SELECT run_uuid, json_group_array(json_array(key, value) ORDER BY key) FROM " + table + " WHERE "
                            + dialect.inIds("run_uuid") + " GROUP BY run_uuid",
                    rs -> out.put(rs.getString(1), pairs(rs.getString(2), make)));
            return out;
        }

        /**
         * Rows grouped by the run id in column 1, each group in the order the rows came. Rows of
         * one run arrive together (the queries order by run first), so the run's list is looked up
         * once per run, not once per row.
         */
        <T> Map<String, List<T>> byRun(String sql, RowReader<T> reader) {
            Group<T> group = new Group<>();
            scan(sql, rs -> group.add(rs.getString(1), reader.read(rs)));
            return group.byRun;
        }
    }
}
