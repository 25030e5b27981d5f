package io.reprise.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** Reads runs back through the tracking server's REST API only. */
final class Runs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Runs() {}

    record Run(JsonNode json, TestServer server) {
        String id() {
            return json.path("info").path("run_id").asText();
        }

        String experimentId() {
            return json.path("info").path("experiment_id").asText();
        }

        String status() {
            return json.path("info").path("status").asText();
        }

        Map<String, String> tags() {
            Map<String, String> out = new HashMap<>();
            json.path("data")
                    .path("tags")
                    .forEach(
                            t -> out.put(t.path("key").asText(), t.path("value").asText()));
            return out;
        }

        Map<String, Double> metrics() {
            Map<String, Double> out = new HashMap<>();
            json.path("data")
                    .path("metrics")
                    .forEach(
                            m -> out.put(m.path("key").asText(), m.path("value").asDouble()));
            return out;
        }

        /** The artifact's text; null when absent. */
        String artifact(String path) {
            TestServer.Response r = server.get(
                    "/api/2.0/mlflow-artifacts/artifacts/" + experimentId() + "/" + id() + "/artifacts/" + path);
            return r.status() == 200 ? r.body() : null;
        }
    }

    static Run get(TestServer server, String runId) {
        assertThat(runId).as("run id").isNotNull();
        TestServer.Response r = server.get("/api/2.0/mlflow/runs/get?run_id=" + runId);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return new Run(parse(r.body()).path("run"), server);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
