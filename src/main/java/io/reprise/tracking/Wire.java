package io.reprise.tracking;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reprise.model.Experiment;
import io.reprise.model.LoggedModel;
import io.reprise.model.Metric;
import io.reprise.model.ModelMetric;
import io.reprise.model.Param;
import io.reprise.model.Tag;
import java.util.List;

/**
 * Renders model records as MLflow's proto JSON: snake_case names, int64 as numbers, unset fields
 * omitted. Runs are written by {@link RunJson}, straight to the output.
 */
final class Wire {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    // MLflow 3.x tags every experiment with its workspace; without workspaces enabled it is this one.
    static final String DEFAULT_WORKSPACE = "default";

    private Wire() {}

    static ObjectNode object() {
        return F.objectNode();
    }

    static ObjectNode experiment(Experiment e) {
        ObjectNode n = F.objectNode();
        n.put("experiment_id", e.experimentId());
        n.put("name", e.name());
        n.put("artifact_location", e.artifactLocation());
        n.put("lifecycle_stage", e.lifecycleStage().wire());
        n.put("last_update_time", e.lastUpdateTime());
        n.put("creation_time", e.creationTime());
        tags(n, "tags", e.tags());
        n.put("workspace", DEFAULT_WORKSPACE);
        return n;
    }

    /** A logged model: {@code info} (attributes and tags) and {@code data} (params). */
    static ObjectNode loggedModel(LoggedModel m) {
        ObjectNode n = F.objectNode();
        ObjectNode info = n.putObject("info");
        info.put("model_id", m.modelId());
        info.put("experiment_id", m.experimentId());
        info.put("name", m.name());
        info.put("creation_timestamp_ms", m.creationTimestampMs());
        info.put("last_updated_timestamp_ms", m.lastUpdatedTimestampMs());
        info.put("artifact_uri", m.artifactLocation());
        info.put("status", m.status().name());
        putIfSet(info, "model_type", m.modelType());
        putIfSet(info, "source_run_id", m.sourceRunId());
        putIfSet(info, "status_message", m.statusMessage());
        tags(info, "tags", m.tags());
        ObjectNode data = n.putObject("data");
        if (!m.params().isEmpty()) {
            ArrayNode params = data.putArray("params");
            for (Param p : m.params()) {
                params.addObject().put("key", p.key()).put("value", p.value());
            }
        }
        if (!m.metrics().isEmpty()) {
            ArrayNode metrics = data.putArray("metrics");
            for (ModelMetric mm : m.metrics()) {
                ObjectNode point = metric(mm.metric());
                putIfSet(point, "dataset_name", emptyAsNull(mm.datasetName()));
                putIfSet(point, "dataset_digest", emptyAsNull(mm.datasetDigest()));
                point.put("model_id", mm.modelId());
                point.put("run_id", mm.runId());
                metrics.add(point);
            }
        }
        return n;
    }

    private static String emptyAsNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    static ObjectNode metric(Metric m) {
        ObjectNode n = F.objectNode();
        n.put("key", m.key());
        n.put("value", m.value());
        n.put("timestamp", m.timestamp());
        n.put("step", m.step());
        return n;
    }

    private static void tags(ObjectNode parent, String field, List<Tag> tags) {
        if (tags.isEmpty()) {
            return;
        }
        ArrayNode arr = parent.putArray(field);
        for (Tag t : tags) {
            arr.addObject().put("key", t.key()).put("value", t.value());
        }
    }
}
