package io.reprise.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A thin client of the MLflow REST API: just the calls {@code reprise run} makes. Authenticates like
 * the MLflow client does (MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME/PASSWORD).
 */
final class TrackingClient {
    /** A created run: what is needed to log to it and upload its artifacts. */
    record RunRef(String runId, String experimentId, String artifactUri) {}

    /** An HTTP-level failure reported by the server (MLflow error code and message). */
    static final class ServerError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String errorCode;

        ServerError(String errorCode, String message) {
            super(message);
            this.errorCode = errorCode;
        }
    }

    private static final int MAX_TAGS_PER_BATCH = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final String authorization;
    private final HttpClient http;

    TrackingClient(URI base, Map<String, String> env) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.authorization = authorization(env);
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Threads.POOL)
                .build();
    }

    private static String authorization(Map<String, String> env) {
        String token = env.get("MLFLOW_TRACKING_TOKEN");
        if (token != null && !token.isEmpty()) {
            return "Bearer " + token;
        }
        String user = env.get("MLFLOW_TRACKING_USERNAME");
        String password = env.get("MLFLOW_TRACKING_PASSWORD");
        if (user != null && password != null) {
            String pair = user + ":" + password;
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    /** The id of the named experiment, created when missing (as mlflow.set_experiment does). */
    String experimentId(String name) {
        try {
            String q = "experiments/get-by-name?experiment_name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
            return get(q).path("experiment").path("experiment_id").asText();
        } catch (ServerError e) {
            if (!"RESOURCE_DOES_NOT_EXIST".equals(e.errorCode)) {
                throw e;
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", name);
        try {
            return post("experiments/create", body).path("experiment_id").asText();
        } catch (ServerError e) {
            if ("RESOURCE_ALREADY_EXISTS".equals(e.errorCode)) { // created concurrently by another run
                return experimentId(name);
            }
            throw e;
        }
    }

    RunRef createRun(String experimentId, String runName, long startTime, Map<String, String> tags) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("experiment_id", experimentId).put("start_time", startTime);
        if (runName != null) {
            body.put("run_name", runName);
        }
        if (tags.containsKey("mlflow.user")) {
            body.put("user_id", tags.get("mlflow.user"));
        }
        body.set("tags", keyValues(tags));
        JsonNode info = post("runs/create", body).path("run").path("info");
        return new RunRef(
                info.path("run_id").asText(),
                info.path("experiment_id").asText(),
                info.path("artifact_uri").asText());
    }

    void logParams(String runId, Map<String, String> params) {
        if (!params.isEmpty()) {
            ObjectNode body = Json.MAPPER.createObjectNode().put("run_id", runId);
            body.set("params", keyValues(params));
            post("runs/log-batch", body);
        }
    }

    /** Sets tags in batches of MLflow's per-request limit. */
    void setTags(String runId, Map<String, String> tags) {
        List<Map.Entry<String, String>> all = new ArrayList<>(tags.entrySet());
        for (int i = 0; i < all.size(); i += MAX_TAGS_PER_BATCH) {
            ObjectNode body = Json.MAPPER.createObjectNode().put("run_id", runId);
            ArrayNode chunk = body.putArray("tags");
            for (Map.Entry<String, String> e : all.subList(i, Math.min(all.size(), i + MAX_TAGS_PER_BATCH))) {
                chunk.addObject().put("key", e.getKey()).put("value", e.getValue());
            }
            post("runs/log-batch", body);
        }
    }

    void logInputs(String runId, List<DataInput> inputs) {
        if (inputs.isEmpty()) {
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("run_id", runId);
        ArrayNode datasets = body.putArray("datasets");
        for (DataInput in : inputs) {
            ObjectNode d = datasets.addObject().putObject("dataset");
            d.put("name", in.path()).put("digest", in.md5()).put("source_type", "dvc");
            d.put("source", in.source()).put("profile", in.profileJson());
        }
        post("runs/log-inputs", body);
    }

    void endRun(String runId, String status, long endTime) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("run_id", runId);
        body.put("status", status).put("end_time", endTime);
        post("runs/update", body);
    }

    /** Uploads through the server's artifact proxy; only {@code mlflow-artifacts:} roots go that way. */
    void upload(RunRef run, String artifactPath, Path file) {
        URI uri = artifactUri(run, artifactPath);
        try {
            send(request(uri).PUT(HttpRequest.BodyPublishers.ofFile(file)));
        } catch (IOException e) {
            throw new ServerError("IO_ERROR", "cannot read " + file + ": " + e.getMessage());
        }
    }

    void upload(RunRef run, String artifactPath, byte[] content) {
        send(request(artifactUri(run, artifactPath)).PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
    }

    static boolean proxied(RunRef run) {
        return run.artifactUri().startsWith("mlflow-artifacts:");
    }

    private URI artifactUri(RunRef run, String artifactPath) {
        // mlflow-artifacts:/1/abc/artifacts or mlflow-artifacts://host:port/1/abc/artifacts
        String root = run.artifactUri().substring("mlflow-artifacts:".length());
        if (root.startsWith("//")) {
            root = root.substring(root.indexOf('/', 2));
        }
        StringBuilder path = new StringBuilder(base.toString()).append("/api/2.0/mlflow-artifacts/artifacts");
        for (String segment : (root + "/" + artifactPath).split("/")) {
            if (!segment.isEmpty()) {
                path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return URI.create(path.toString());
    }

    private static ArrayNode keyValues(Map<String, String> map) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        map.forEach((k, v) -> array.addObject().put("key", k).put("value", v));
        return array;
    }

    private JsonNode get(String endpoint) {
        return send(request(api(endpoint)).GET());
    }

    private JsonNode post(String endpoint, JsonNode body) {
        return send(request(api(endpoint))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private URI api(String endpoint) {
        return URI.create(base + "/api/2.0/mlflow/" + endpoint);
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("User-Agent", "reprise-run");
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new ServerError("UNREACHABLE", "connection refused");
        } catch (IOException e) {
            throw new ServerError("UNREACHABLE", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerError("UNREACHABLE", "interrupted");
        }
        return parse(response);
    }

    private static JsonNode parse(HttpResponse<String> response) {
        JsonNode json;
        try {
            json = response.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            json = Json.MAPPER.createObjectNode();
        }
        if (response.statusCode() / 100 != 2) {
            String code = json.path("error_code").asText("HTTP_" + response.statusCode());
            String message = json.path("message").asText("HTTP " + response.statusCode() + " from " + response.uri());
            throw new ServerError(code, message);
        }
        return json;
    }
}
