package io.reprise.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reprise.client.MlflowHttp;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The few tracking-server calls the CI gates make, on the shared {@link MlflowHttp} transport. */
public final class Tracking {
    private static final int TIMEOUT_MS = 30_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MlflowHttp http;

    public Tracking(URI base, Map<String, String> env) {
        this.http = new MlflowHttp(base, env, "reprise-check", TIMEOUT_MS, TIMEOUT_MS);
    }

    public String base() {
        return http.base();
    }

    /** The server's verdict on a run; empty when the run does not exist. */
    Optional<JsonNode> compliance(String runId) {
        return found(() -> get("/api/2.0/reprise/runs/compliance?run_id=" + encode(runId)));
    }

    Optional<JsonNode> run(String runId) {
        return found(
                () -> get("/api/2.0/mlflow/runs/get?run_id=" + encode(runId)).path("run"));
    }

    Optional<JsonNode> experimentByName(String name) {
        return found(() -> get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + encode(name))
                .path("experiment"));
    }

    /** Every active run of an experiment, page by page. */
    List<JsonNode> runs(String experimentId) {
        List<JsonNode> out = new ArrayList<>();
        String token = null;
        do {
            ObjectNode body = JSON.createObjectNode();
            body.putArray("experiment_ids").add(experimentId);
            body.put("max_results", 1000);
            if (token != null) {
                body.put("page_token", token);
            }
            JsonNode page = call("POST", "/api/2.0/mlflow/runs/search", body.toString());
            page.path("runs").forEach(out::add);
            token = page.path("next_page_token").asText(null);
        } while (token != null && !token.isEmpty());
        return out;
    }

    private static Optional<JsonNode> found(java.util.function.Supplier<JsonNode> call) {
        try {
            return Optional.of(call.get());
        } catch (MlflowHttp.Failure f) {
            if ("RESOURCE_DOES_NOT_EXIST".equals(f.code())) {
                return Optional.empty();
            }
            throw f;
        }
    }

    private JsonNode get(String path) {
        return call("GET", path, null);
    }

    private JsonNode call(String method, String path, String body) {
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        return parse(new String(http.send(method, http.api(path), bytes), StandardCharsets.UTF_8));
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode n = text.isBlank() ? null : JSON.readTree(text);
            return n == null ? JSON.createObjectNode() : n;
        } catch (IOException e) {
            return JSON.createObjectNode(); // a 2xx that is not JSON: nothing to read from it
        }
    }

    private static String encode(String s) {
        return MlflowHttp.encode(s);
    }
}
