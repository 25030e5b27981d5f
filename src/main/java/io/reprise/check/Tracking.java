package io.reprise.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reprise.capture.TrackingAuth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The few tracking-server calls the CI gates make, authenticated as the MLflow client is. */
public final class Tracking {
    /** A failure the server reported (MLflow error code and message), or UNREACHABLE. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String code;

        Failure(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private static final int TIMEOUT_MS = 30_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String authorization;

    public Tracking(URI base, Map<String, String> env) {
        String s = base.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        this.authorization = TrackingAuth.header(env);
    }

    public String base() {
        return base;
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
        } catch (Failure f) {
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
        String url = base + path;
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout(TIMEOUT_MS);
            c.setReadTimeout(TIMEOUT_MS);
            c.setRequestProperty("User-Agent", "reprise-check");
            if (authorization != null) {
                c.setRequestProperty("Authorization", authorization);
            }
            if (body != null) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(bytes.length);
                c.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = c.getResponseCode();
            String text;
            try (InputStream in = status / 100 == 2 ? c.getInputStream() : c.getErrorStream()) {
                text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonNode json = parse(text);
            if (status / 100 != 2) {
                String code = json.path("error_code").asText("");
                String message = json.path("message").asText("");
                throw new Failure(
                        code.isEmpty() ? "HTTP_" + status : code,
                        message.isEmpty() ? "HTTP " + status + " from " + url : message);
            }
            return json;
        } catch (IOException e) {
            throw new Failure(
                    "UNREACHABLE",
                    "cannot reach the tracking server at " + base + " ("
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + ")");
        }
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode n = text.isBlank() ? null : JSON.readTree(text);
            return n == null ? JSON.createObjectNode() : n;
        } catch (IOException e) {
            return JSON.createObjectNode(); // not JSON: not an MLflow server; the status tells
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
