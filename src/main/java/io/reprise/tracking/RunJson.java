package io.reprise.tracking;

import com.fasterxml.jackson.core.JsonGenerator;
import io.reprise.model.DatasetInput;
import io.reprise.model.Metric;
import io.reprise.model.ModelOutput;
import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.model.RunInfo;
import io.reprise.model.Tag;
import java.io.IOException;
import java.util.List;

/**
 * Writes runs as MLflow's proto JSON straight to a generator (snake_case names, int64 as numbers,
 * unset fields omitted). MLflow's messages are proto2, so a field it sets explicitly is sent even
 * when empty: a run always has {@code data} and {@code inputs}, and {@code outputs} once it is read
 * back. Streamed rather than built as a tree: a search page of 100 runs is ~3,300 small objects, and building them
 * as a tree first took as long as writing them.
 */
final class RunJson {
    private RunJson() {}

    /** A run as runs/get and runs/search return it: with {@code outputs}, empty if it logged no model. */
    static void run(JsonGenerator g, Run r) throws IOException {
        g.writeStartObject();
        runFields(g, r);
        g.writeObjectFieldStart("outputs");
        if (!r.modelOutputs().isEmpty()) {
            g.writeArrayFieldStart("model_outputs");
            for (ModelOutput o : r.modelOutputs()) {
                g.writeStartObject();
                g.writeStringField("model_id", o.modelId());
                g.writeNumberField("step", o.step());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** A run as runs/create returns it: MLflow's new run entity has no outputs yet. */
    static void createdRun(JsonGenerator g, Run r) throws IOException {
        g.writeStartObject();
        runFields(g, r);
        g.writeEndObject();
    }

    private static void runFields(JsonGenerator g, Run r) throws IOException {
        g.writeFieldName("info");
        runInfo(g, r.info());
        g.writeObjectFieldStart("data");
        List<Metric> metrics = r.data().metrics();
        if (!metrics.isEmpty()) {
            g.writeArrayFieldStart("metrics");
            for (Metric m : metrics) {
                metric(g, m);
            }
            g.writeEndArray();
        }
        List<Param> params = r.data().params();
        if (!params.isEmpty()) {
            g.writeArrayFieldStart("params");
            for (Param p : params) {
                keyValue(g, p.key(), p.value());
            }
            g.writeEndArray();
        }
        tags(g, r.data().tags());
        g.writeEndObject();
        g.writeObjectFieldStart("inputs");
        if (!r.inputs().isEmpty()) {
            g.writeArrayFieldStart("dataset_inputs");
            for (DatasetInput i : r.inputs()) {
                datasetInput(g, i);
            }
            g.writeEndArray();
        }
        if (!r.modelInputs().isEmpty()) {
            g.writeArrayFieldStart("model_inputs");
            for (String id : r.modelInputs()) {
                g.writeStartObject();
                g.writeStringField("model_id", id);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    static void runInfo(JsonGenerator g, RunInfo i) throws IOException {
        g.writeStartObject();
        g.writeStringField("run_id", i.runId());
        g.writeStringField("run_uuid", i.runId());
        g.writeStringField("run_name", i.runName());
        g.writeStringField("experiment_id", i.experimentId());
        g.writeStringField("user_id", i.userId());
        g.writeStringField("status", i.status().name());
        g.writeNumberField("start_time", i.startTime());
        if (i.endTime() != null) {
            g.writeNumberField("end_time", i.endTime());
        }
        g.writeStringField("artifact_uri", i.artifactUri());
        g.writeStringField("lifecycle_stage", i.lifecycleStage().wire());
        g.writeEndObject();
    }

    private static void metric(JsonGenerator g, Metric m) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", m.key());
        g.writeNumberField("value", m.value());
        g.writeNumberField("timestamp", m.timestamp());
        g.writeNumberField("step", m.step());
        g.writeEndObject();
    }

    private static void datasetInput(JsonGenerator g, DatasetInput i) throws IOException {
        g.writeStartObject();
        tags(g, i.tags());
        g.writeObjectFieldStart("dataset");
        g.writeStringField("name", i.dataset().name());
        g.writeStringField("digest", i.dataset().digest());
        g.writeStringField("source_type", i.dataset().sourceType());
        g.writeStringField("source", i.dataset().source());
        if (i.dataset().schema() != null) {
            g.writeStringField("schema", i.dataset().schema());
        }
        if (i.dataset().profile() != null) {
            g.writeStringField("profile", i.dataset().profile());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void tags(JsonGenerator g, List<Tag> tags) throws IOException {
        if (tags.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart("tags");
        for (Tag t : tags) {
            keyValue(g, t.key(), t.value());
        }
        g.writeEndArray();
    }

    private static void keyValue(JsonGenerator g, String key, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", key);
        g.writeStringField("value", value);
        g.writeEndObject();
    }
}
