package io.reprise.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The MLflow REST calls the policy tests make, over a real server; answers parsed as JSON. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    private final TestServer server;

    Api(TestServer server) {
        this.server = server;
    }

    record Answer(int status, JsonNode body) {
        String errorCode() {
            return body.path("error_code").asText();
        }

        String message() {
            return body.path("message").asText();
        }
    }

    Answer post(String endpoint, String json) {
        return parse(server.post("/api/2.0/mlflow/" + endpoint, json));
    }

    Answer get(String pathAndQuery) {
        return parse(server.get(pathAndQuery));
    }

    String experiment(String name) {
        Answer a = post("experiments/create", "{\"name\":\"" + name + "\"}");
        assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
        return a.body().path("experiment_id").asText();
    }

    /** create-run with these tags; the answer as is (it may be a refusal). */
    Answer createRun(String experimentId, Map<String, String> tags) {
        StringBuilder t = new StringBuilder();
        tags.forEach((k, v) -> t.append(t.isEmpty() ? "" : ",").append(kv(k, v)));
        return post("runs/create", "{\"experiment_id\":\"" + experimentId + "\",\"tags\":[" + t + "]}");
    }

    String createdRun(String experimentId, Map<String, String> tags) {
        Answer a = createRun(experimentId, tags);
        assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
        return a.body().path("run").path("info").path("run_id").asText();
    }

    Answer finish(String runId, String statusJson) {
        return post("runs/update", "{\"run_id\":\"" + runId + "\",\"status\":" + statusJson + "}");
    }

    void ok(Answer a) {
        assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    }

    JsonNode run(String runId) {
        Answer a = get("/api/2.0/mlflow/runs/get?run_id=" + runId);
        ok(a);
        return a.body().path("run");
    }

    String status(String runId) {
        return run(runId).path("info").path("status").asText();
    }

    /** The run's tags as a map. */
    Map<String, String> tags(String runId) {
        Map<String, String> out = new LinkedHashMap<>();
        run(runId)
                .path("data")
                .path("tags")
                .forEach(t -> out.put(t.path("key").asText(), t.path("value").asText()));
        return out;
    }

    void uploadArtifact(String runId, String experimentId, String path, String content) {
        TestServer.Response r = server.send(HttpRequest.newBuilder(URI.create(server.url()
                        + "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/" + path))
                .PUT(HttpRequest.BodyPublishers.ofString(content)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    Answer compliance(String runId) {
        return get("/api/2.0/reprise/runs/compliance?run_id=" + URLEncoder.encode(runId, StandardCharsets.UTF_8));
    }

    static String kv(String key, String value) {
        return "{\"key\":" + quote(key) + ",\"value\":" + quote(value) + "}";
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer parse(TestServer.Response r) {
        try {
            return new Answer(r.status(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }
}
