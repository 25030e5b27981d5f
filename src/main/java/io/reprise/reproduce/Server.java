package io.reprise.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reprise.client.MlflowHttp;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tracking-server calls reproduction makes (MLflow REST API and the mlflow-artifacts proxy),
 * on the shared {@link MlflowHttp} transport, with Jackson's tree model (reproduce is not on {@code
 * reprise run}'s start-up path).
 */
final class Server {
    /** One artifact file of a run. */
    record ArtifactFile(String path, long size) {}

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_MS = 60_000;

    private final MlflowHttp http;

    Server(URI base, Map<String, String> env) {
        this.http = new MlflowHttp(base, env, "reprise-reproduce", TIMEOUT_MS, TIMEOUT_MS);
    }

    String base() {
        return http.base();
    }

    /** The run ({@code info}, {@code data}, {@code inputs}); empty when the server has no such run. */
    Optional<JsonNode> run(String runId) {
        return found(
                () -> get("/api/2.0/mlflow/runs/get?run_id=" + encode(runId)).path("run"));
    }

    Optional<JsonNode> experiment(String id) {
        return found(() -> get("/api/2.0/mlflow/experiments/get?experiment_id=" + encode(id))
                .path("experiment"));
    }

    Optional<JsonNode> experimentByName(String name) {
        return found(() -> get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + encode(name))
                .path("experiment"));
    }

    /** Runs matching an MLflow filter, newest first, page by page up to {@code max}. */
    List<JsonNode> searchRuns(List<String> experimentIds, String filter, int max) {
        List<JsonNode> out = new ArrayList<>();
        String token = null;
        do {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode ids = body.putArray("experiment_ids");
            experimentIds.forEach(ids::add);
            body.put("filter", filter);
            body.put("max_results", Math.min(1000, max - out.size()));
            body.putArray("order_by").add("attributes.start_time DESC");
            if (token != null) {
                body.put("page_token", token);
            }
            JsonNode page = call("POST", "/api/2.0/mlflow/runs/search", bytes(body));
            page.path("runs").forEach(out::add);
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty() && out.size() < max);
        return out;
    }

    /** Every experiment id (active ones). */
    List<String> experimentIds() {
        List<String> out = new ArrayList<>();
        String token = "";
        do {
            ObjectNode body = JSON.createObjectNode();
            body.put("max_results", 1000);
            if (!token.isEmpty()) {
                body.put("page_token", token);
            }
            JsonNode page = call("POST", "/api/2.0/mlflow/experiments/search", bytes(body));
            page.path("experiments")
                    .forEach(e -> out.add(e.path("experiment_id").asText()));
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        return out;
    }

    void setTags(String runId, Map<String, String> tags) {
        ObjectNode body = JSON.createObjectNode();
        body.put("run_id", runId);
        ArrayNode list = body.putArray("tags");
        tags.forEach((k, v) -> list.addObject().put("key", k).put("value", v));
        call("POST", "/api/2.0/mlflow/runs/log-batch", bytes(body));
    }

    /** What a create-only tag write did. */
    enum Claim {
        CREATED,
        TAKEN,
        /** The server has no create-only write (an MLflow server, not Reprise). */
        UNSUPPORTED
    }

    /** Sets a tag only if the run has none of that key (Reprise's POST /api/2.0/reprise/runs/create-tag). */
    Claim createTag(String runId, String key, String value) {
        ObjectNode body =
                JSON.createObjectNode().put("run_id", runId).put("key", key).put("value", value);
        try {
            call("POST", "/api/2.0/reprise/runs/create-tag", bytes(body));
            return Claim.CREATED;
        } catch (MlflowHttp.Failure f) {
            if ("RESOURCE_ALREADY_EXISTS".equals(f.code())) {
                return Claim.TAKEN;
            }
            if ("HTTP_404".equals(f.code()) || "ENDPOINT_NOT_FOUND".equals(f.code()) || "HTTP_405".equals(f.code())) {
                return Claim.UNSUPPORTED;
            }
            throw f;
        }
    }

    /** Removes a tag; a tag that is not there is fine. */
    void deleteTag(String runId, String key) {
        try {
            call(
                    "POST",
                    "/api/2.0/mlflow/runs/delete-tag",
                    bytes(JSON.createObjectNode().put("run_id", runId).put("key", key)));
        } catch (MlflowHttp.Failure f) {
            if (!"RESOURCE_DOES_NOT_EXIST".equals(f.code())) {
                throw f;
            }
        }
    }

    void setExperimentTag(String experimentId, String key, String value) {
        ObjectNode body = JSON.createObjectNode()
                .put("experiment_id", experimentId)
                .put("key", key)
                .put("value", value);
        call("POST", "/api/2.0/mlflow/experiments/set-experiment-tag", bytes(body));
    }

    /** Every artifact file of the run, recursively. */
    List<ArtifactFile> artifacts(String runId) {
        List<ArtifactFile> out = new ArrayList<>();
        listInto(runId, "", out);
        return out;
    }

    private void listInto(String runId, String path, List<ArtifactFile> out) {
        String q = "/api/2.0/mlflow/artifacts/list?run_id=" + encode(runId)
                + (path.isEmpty() ? "" : "&path=" + encode(path));
        for (JsonNode f : get(q).path("files")) {
            String p = f.path("path").asText();
            if (f.path("is_dir").asBoolean()) {
                listInto(runId, p, out);
            } else {
                out.add(new ArtifactFile(p, f.path("file_size").asLong(-1)));
            }
        }
    }

    /** The artifact's bytes; empty when the run has no such artifact. */
    Optional<byte[]> download(JsonNode run, String artifactPath) {
        try {
            return Optional.of(http.send("GET", artifactUrl(run, artifactPath), null));
        } catch (MlflowHttp.Failure f) {
            if (f.notFound()) {
                return Optional.empty();
            }
            throw f;
        }
    }

    /** The sha256 of an artifact, streamed (artifacts may be large models). */
    String sha256(JsonNode run, String artifactPath) {
        return http.exchange("GET", artifactUrl(run, artifactPath), null, in -> {
            MessageDigest md = sha256();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        });
    }

    void upload(JsonNode run, String artifactPath, byte[] content) {
        http.send("PUT", artifactUrl(run, artifactPath), content);
    }

    private String artifactUrl(JsonNode run, String artifactPath) {
        return http.artifactUrl(run.path("info").path("artifact_uri").asText(), artifactPath);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<JsonNode> found(java.util.function.Supplier<JsonNode> call) {
        try {
            return Optional.of(call.get());
        } catch (MlflowHttp.Failure f) {
            if ("RESOURCE_DOES_NOT_EXIST".equals(f.code()) || "INVALID_PARAMETER_VALUE".equals(f.code())) {
                return Optional.empty();
            }
            throw f;
        }
    }

    private JsonNode get(String path) {
        return call("GET", path, null);
    }

    private JsonNode call(String method, String path, byte[] body) {
        return parse(new String(http.send(method, http.api(path), body), StandardCharsets.UTF_8));
    }

    static JsonNode parse(String text) {
        try {
            JsonNode n = text.isBlank() ? null : JSON.readTree(text);
            return n == null ? JSON.createObjectNode() : n;
        } catch (IOException e) {
            return JSON.createObjectNode(); // not JSON: the status says what went wrong
        }
    }

    static byte[] bytes(JsonNode body) {
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return MlflowHttp.encode(s);
    }

    /** A run's tags as a map. */
    static Map<String, String> tags(JsonNode run) {
        return keyValues(run.path("data").path("tags"));
    }

    static Map<String, String> keyValues(JsonNode array) {
        Map<String, String> out = new LinkedHashMap<>();
        array.forEach(t -> out.put(t.path("key").asText(), t.path("value").asText()));
        return out;
    }

    /** A run's latest metric values, by key. */
    static Map<String, Double> metrics(JsonNode run) {
        Map<String, Double> out = new java.util.TreeMap<>();
        run.path("data")
                .path("metrics")
                .forEach(m -> out.put(m.path("key").asText(), m.path("value").asDouble()));
        return out;
    }
}
