package io.reprise.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reprise.artifact.ProxiedRoots;
import io.reprise.capture.TrackingAuth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tracking-server calls reproduction makes (MLflow REST API and the mlflow-artifacts proxy),
 * authenticated as the MLflow client is.
 */
final class Server {
    /** A failure the server reported (MLflow error code and message), or UNREACHABLE. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String code;

        Failure(String code, String message) {
            super(message);
            this.code = code;
        }

        boolean unreachable() {
            return "UNREACHABLE".equals(code);
        }
    }

    /** One artifact file of a run. */
    record ArtifactFile(String path, long size) {}

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_MS = 60_000;

    private final String base;
    private final String authorization;

    Server(URI base, Map<String, String> env) {
        String s = base.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        this.authorization = TrackingAuth.header(env);
    }

    String base() {
        return base;
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

    /** Removes a tag; a tag that is not there is fine. */
    void deleteTag(String runId, String key) {
        try {
            call(
                    "POST",
                    "/api/2.0/mlflow/runs/delete-tag",
                    bytes(JSON.createObjectNode().put("run_id", runId).put("key", key)));
        } catch (Failure f) {
            if (!"RESOURCE_DOES_NOT_EXIST".equals(f.code)) {
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
            return Optional.of(raw("GET", artifactUrl(run, artifactPath), null));
        } catch (Failure f) {
            if (f.code.equals("HTTP_404") || f.code.equals("RESOURCE_DOES_NOT_EXIST")) {
                return Optional.empty();
            }
            throw f;
        }
    }

    /** The sha256 of an artifact, streamed (artifacts may be large models). */
    String sha256(JsonNode run, String artifactPath) {
        String url = artifactUrl(run, artifactPath);
        try {
            HttpURLConnection c = open("GET", url, null);
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            try (InputStream in = c.getInputStream()) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void upload(JsonNode run, String artifactPath, byte[] content) {
        raw("PUT", artifactUrl(run, artifactPath), content);
    }

    private String artifactUrl(JsonNode run, String artifactPath) {
        String uri = run.path("info").path("artifact_uri").asText();
        String root = ProxiedRoots.of(uri)
                .orElseThrow(() -> new Failure(
                        "NOT_PROXIED",
                        "the run's artifacts (" + uri + ") are not served by the tracking server; reprise reads"
                                + " them through its mlflow-artifacts proxy only"));
        StringBuilder path = new StringBuilder(base).append("/api/2.0/mlflow-artifacts/artifacts");
        for (String segment : (root + "/" + artifactPath).split("/", -1)) {
            if (!segment.isEmpty()) {
                path.append('/').append(encode(segment).replace("+", "%20"));
            }
        }
        return path.toString();
    }

    private static Optional<JsonNode> found(java.util.function.Supplier<JsonNode> call) {
        try {
            return Optional.of(call.get());
        } catch (Failure f) {
            if ("RESOURCE_DOES_NOT_EXIST".equals(f.code) || "INVALID_PARAMETER_VALUE".equals(f.code)) {
                return Optional.empty();
            }
            throw f;
        }
    }

    private JsonNode get(String path) {
        return call("GET", path, null);
    }

    private JsonNode call(String method, String path, byte[] body) {
        byte[] text = raw(method, base + path, body);
        return parse(new String(text, StandardCharsets.UTF_8));
    }

    private byte[] raw(String method, String url, byte[] body) {
        try {
            HttpURLConnection c = open(method, url, body);
            try (InputStream in = c.getInputStream()) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private Failure unreachable(IOException e) {
        return new Failure(
                "UNREACHABLE",
                "cannot reach the tracking server at " + base + " ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    }

    /** A connection whose response status was 2xx; a server error is thrown as a {@link Failure}. */
    private HttpURLConnection open(String method, String url, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(TIMEOUT_MS);
        c.setReadTimeout(TIMEOUT_MS);
        c.setRequestProperty("User-Agent", "reprise-reproduce");
        if (authorization != null) {
            c.setRequestProperty("Authorization", authorization);
        }
        if (body != null) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length);
            c.setRequestProperty(
                    "Content-Type", method.equals("PUT") ? "application/octet-stream" : "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
        }
        int status = c.getResponseCode();
        if (status / 100 != 2) {
            byte[] bytes;
            try (InputStream in = c.getErrorStream()) {
                bytes = in == null ? new byte[0] : in.readAllBytes();
            }
            JsonNode json = parse(new String(bytes, StandardCharsets.UTF_8));
            String code = json.path("error_code").asText("");
            String message = json.path("message").asText("");
            throw new Failure(
                    code.isEmpty() ? "HTTP_" + status : code,
                    message.isEmpty() ? "HTTP " + status + " from " + url : message);
        }
        return c;
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
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
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
