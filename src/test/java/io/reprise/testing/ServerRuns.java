package io.reprise.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** Reads back what a run recorded, through the tracking server's REST API only. */
public final class ServerRuns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerRuns() {}

    /** A run as the server returns it. */
    public record RecordedRun(JsonNode json, TestServer server) {
        public String id() {
            return json.path("info").path("run_id").asText();
        }

        public String status() {
            return json.path("info").path("status").asText();
        }

        public String experimentId() {
            return json.path("info").path("experiment_id").asText();
        }

        public Map<String, String> tags() {
            return keyValues(json.path("data").path("tags"));
        }

        public Map<String, String> params() {
            return keyValues(json.path("data").path("params"));
        }

        public Map<String, Double> metrics() {
            Map<String, Double> out = new HashMap<>();
            json.path("data")
                    .path("metrics")
                    .forEach(
                            m -> out.put(m.path("key").asText(), m.path("value").asDouble()));
            return out;
        }

        public JsonNode inputs() {
            return json.path("inputs").path("dataset_inputs");
        }

        /** The artifact's text; null when the server has no such artifact. */
        public String artifact(String path) {
            TestServer.Response r = server.get(
                    "/api/2.0/mlflow-artifacts/artifacts/" + experimentId() + "/" + id() + "/artifacts/" + path);
            return r.status() == 200 ? r.body() : null;
        }

        public JsonNode manifest() {
            return parse(artifact("reprise/manifest.json"));
        }
    }

    public static RecordedRun get(TestServer server, String runId) {
        assertThat(runId).as("run id printed by reprise").isNotNull();
        TestServer.Response r = server.get("/api/2.0/mlflow/runs/get?run_id=" + runId);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return new RecordedRun(parse(r.body()).path("run"), server);
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> keyValues(JsonNode array) {
        Map<String, String> out = new HashMap<>();
        array.forEach(t -> out.put(t.path("key").asText(), t.path("value").asText()));
        return out;
    }
}
