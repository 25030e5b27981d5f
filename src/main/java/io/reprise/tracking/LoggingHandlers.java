package io.reprise.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.reprise.model.Dataset;
import io.reprise.model.DatasetInput;
import io.reprise.model.Metric;
import io.reprise.model.MlflowException;
import io.reprise.model.ModelMetric;
import io.reprise.model.Page;
import io.reprise.model.Param;
import io.reprise.model.Tag;
import java.util.ArrayList;
import java.util.List;

/** The endpoints that log data to a run: metrics, params, tags, batches, inputs, models; and metric history. */
final class LoggingHandlers {
    private final TrackingService service;
    private final Http http;

    LoggingHandlers(TrackingService service, Http http) {
        this.service = service;
        this.http = http;
    }

    void logMetric(Context ctx) {
        Req req = http.req(ctx);
        String runId = req.runId();
        String key = req.requiredString("key");
        Metric metric = metric(req.node("value"), req.node("timestamp"), req.node("step"), key, "");
        service.logMetric(runId, metric);
        String modelId = req.string("model_id");
        if (modelId != null && !modelId.isEmpty()) {
            service.logModelMetrics(
                    runId,
                    List.of(new ModelMetric(
                            modelId, runId, req.string("dataset_name"), req.string("dataset_digest"), metric)));
        }
        http.empty(ctx);
    }

    /** A missing or null value is logged as "": MLflow reads the unset proto2 string as its default. */
    void logParam(Context ctx) {
        Req req = http.req(ctx);
        String runId = req.runId();
        String key = req.requiredString("key");
        service.logParam(runId, new Param(key, req.stringOrEmpty("value")));
        http.empty(ctx);
    }

    void setTag(Context ctx) {
        Req req = http.req(ctx);
        String runId = req.runId();
        String key = req.requiredString("key");
        service.setTag(runId, new Tag(key, req.stringOrEmpty("value")));
        http.empty(ctx);
    }

    /** Reprise's POST /api/2.0/reprise/runs/create-tag: set-tag that fails when the key is set already. */
    void createTag(Context ctx) {
        Req req = http.req(ctx);
        String runId = req.runId();
        String key = req.requiredString("key");
        service.createTag(runId, new Tag(key, req.stringOrEmpty("value")));
        http.empty(ctx);
    }

    void deleteTag(Context ctx) {
        Req req = http.req(ctx);
        service.deleteTag(req.runId(), req.requiredString("key"));
        http.empty(ctx);
    }

    void logBatch(Context ctx) {
        Req req = http.req(ctx);
        String runId = req.requiredString("run_id");
        List<JsonNode> metricNodes = req.array("metrics");
        List<Metric> metrics = new ArrayList<>(metricNodes.size());
        List<ModelMetric> modelMetrics = new ArrayList<>();
        for (int i = 0; i < metricNodes.size(); i++) {
            JsonNode m = metricNodes.get(i);
            String path = "metrics[" + i + "]";
            String key = requiredField(m, path + ".key");
            if (absent(m.get("value"))) {
                throw Req.missing(path + ".value");
            }
            if (absent(m.get("timestamp"))) {
                throw Req.missing(path + ".timestamp");
            }
            Metric metric = metric(m.get("value"), m.get("timestamp"), m.get("step"), key, path);
            metrics.add(metric);
            String modelId = textOrNull(m.get("model_id"));
            if (modelId != null && !modelId.isEmpty()) {
                modelMetrics.add(new ModelMetric(
                        modelId,
                        runId,
                        textOrNull(m.get("dataset_name")),
                        textOrNull(m.get("dataset_digest")),
                        metric));
            }
        }
        List<Param> params = new ArrayList<>();
        List<JsonNode> paramNodes = req.array("params");
        for (int i = 0; i < paramNodes.size(); i++) {
            JsonNode p = paramNodes.get(i);
            String key = requiredField(p, "params[" + i + "].key");
            params.add(
                    new Param(key, absent(p.get("value")) ? "" : p.get("value").asText()));
        }
        List<Tag> tags = ExperimentHandlers.tags(req, "tags", true);
        service.logBatch(runId, metrics, params, tags);
        // after the run's own write, in a transaction of its own, as MLflow's store does
        service.logModelMetrics(runId, modelMetrics);
        http.empty(ctx);
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull() || (n.isTextual() && n.asText().isEmpty());
    }

    private static String requiredField(JsonNode item, String path) {
        JsonNode n = item.get(path.substring(path.lastIndexOf('.') + 1));
        if (absent(n)) {
            throw Req.missing(path);
        }
        return n.asText();
    }

    private static Metric metric(JsonNode value, JsonNode timestamp, JsonNode step, String key, String path) {
        String prefix = path.isEmpty() ? "" : path + ".";
        if (value == null || value.isNull()) {
            throw Req.missing(prefix + "value");
        }
        if (timestamp == null || timestamp.isNull()) {
            throw Req.missing(prefix + "timestamp");
        }
        Double v = Values.asDouble(value);
        if (v == null) {
            throw Req.invalidType(prefix + "value", value);
        }
        long ts = Values.asLong(prefix + "timestamp", timestamp);
        long s = step == null || step.isNull() ? 0 : Values.asLong(prefix + "step", step);
        return new Metric(key, v, ts, s);
    }

    void logInputs(Context ctx) {
        Req req = http.req(ctx);
        String runId = req.requiredString("run_id");
        List<DatasetInput> inputs = new ArrayList<>();
        List<JsonNode> nodes = req.array("datasets");
        for (int i = 0; i < nodes.size(); i++) {
            inputs.add(datasetInput(nodes.get(i), "datasets[" + i + "]"));
        }
        List<String> models = new ArrayList<>();
        for (JsonNode m : req.array("models")) {
            if (!m.isObject()) {
                throw Req.invalidType("models", req.node("models"));
            }
            JsonNode id = m.get("model_id");
            models.add(id == null || id.isNull() ? "" : id.asText());
        }
        service.logInputs(runId, inputs, models);
        http.empty(ctx);
    }

    private static DatasetInput datasetInput(JsonNode node, String path) {
        JsonNode d = node.get("dataset");
        if (d == null || !d.isObject()) {
            throw Req.missing(path + ".dataset");
        }
        Dataset dataset = new Dataset(
                requiredField(d, path + ".dataset.name"),
                requiredField(d, path + ".dataset.digest"),
                requiredField(d, path + ".dataset.source_type"),
                requiredField(d, path + ".dataset.source"),
                optional(d, "schema"),
                optional(d, "profile"));
        Validation.lengthAtMost("Dataset name", 500, dataset.name());
        Validation.lengthAtMost("Dataset digest", 36, dataset.digest());
        List<Tag> tags = new ArrayList<>();
        JsonNode tagNodes = node.get("tags");
        if (tagNodes != null && tagNodes.isArray()) {
            for (int i = 0; i < tagNodes.size(); i++) {
                JsonNode t = tagNodes.get(i);
                tags.add(new Tag(requiredField(t, path + ".tags[" + i + "].key"), optional(t, "value")));
            }
        }
        return new DatasetInput(dataset, tags);
    }

    private static String optional(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** runs/log-model appends the model's JSON to the run's {@code mlflow.log-model.history} tag, as MLflow does. */
    void logModel(Context ctx) {
        Req req = http.req(ctx);
        String runId = req.requiredString("run_id");
        String modelJson = req.requiredString("model_json");
        JsonNode model;
        try {
            model = http.mapper().readTree(modelJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw MlflowException.invalid("Malformed model info. \n %s \n is not a valid JSON.", modelJson);
        }
        for (String field : List.of("artifact_path", "flavors", "utc_time_created", "run_id")) {
            if (model == null || !model.has(field)) {
                throw MlflowException.invalid("Model json is missing mandatory fields: [%s]", "'" + field + "'");
            }
        }
        service.appendModelHistory(runId, model);
        http.empty(ctx);
    }

    void metricHistory(Context ctx) {
        Req req = http.req(ctx);
        String runId = req.runId();
        String key = req.requiredString("metric_key");
        Long max = req.longValue("max_results");
        if (max != null && max <= 0) {
            throw MlflowException.invalid(
                    "Invalid value %d for parameter 'max_results' supplied. It must be a positive integer.", max);
        }
        Integer pageSize = max == null ? null : (int) Math.min(max, Integer.MAX_VALUE);
        Page<Metric> page = service.getMetricHistory(runId, key, pageSize, req.string("page_token"));
        ObjectNode body = Wire.object();
        if (!page.items().isEmpty()) {
            ArrayNode arr = body.putArray("metrics");
            page.items().forEach(m -> arr.add(Wire.metric(m)));
        }
        if (page.nextPageToken() != null) {
            body.put("next_page_token", page.nextPageToken());
        }
        http.ok(ctx, body);
    }
}
