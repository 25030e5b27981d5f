package io.reprise.capture;

import io.reprise.artifact.ProxiedRoots;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A thin client of the MLflow REST API: just the calls {@code reprise run} makes. Authenticates as
 * the MLflow client does (MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME/PASSWORD).
 *
 * <p>Built on {@link HttpURLConnection} rather than java.net.http: the latter costs ~0.45 s of CPU to
 * start cold, more than the whole capture budget, while this one is in the JDK's startup archive.
 * Connections are kept alive and reused by the JDK.
 */
final class TrackingClient {
    /** A created run: what is needed to log to it and upload its artifacts. */
    record RunRef(String runId, String experimentId, String artifactUri) {}

    /** A failure reported by the server (MLflow error code and message), or UNREACHABLE. */
    static final class ServerError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String errorCode;

        ServerError(String errorCode, String message) {
            super(message);
            this.errorCode = errorCode;
        }
    }

    private static final int MAX_TAGS_PER_BATCH = 100;
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 60_000;

    private final String base;
    private final String authorization;

    TrackingClient(URI base, Map<String, String> env) {
        String s = base.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        this.authorization = TrackingAuth.header(env);
    }

    /** The id of the named experiment, created when missing (as mlflow.set_experiment does). */
    String experimentId(String name) {
        try {
            String q = "experiments/get-by-name?experiment_name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
            return JsonText.text(call("GET", api(q), null), "experiment", "experiment_id");
        } catch (ServerError e) {
            if (!"RESOURCE_DOES_NOT_EXIST".equals(e.errorCode)) {
                throw e;
            }
        }
        try {
            return JsonText.text(post("experiments/create", Map.of("name", name)), "experiment_id");
        } catch (ServerError e) {
            if ("RESOURCE_ALREADY_EXISTS".equals(e.errorCode)) { // created meanwhile by a parallel run
                return experimentId(name);
            }
            throw e;
        }
    }

    RunRef createRun(String experimentId, String runName, long startTime, Map<String, String> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("experiment_id", experimentId);
        body.put("start_time", startTime);
        if (runName != null) {
            body.put("run_name", runName);
        }
        if (tags.containsKey("mlflow.user")) {
            body.put("user_id", tags.get("mlflow.user"));
        }
        body.put("tags", keyValues(tags));
        Object r = post("runs/create", body);
        return new RunRef(
                JsonText.text(r, "run", "info", "run_id"),
                JsonText.text(r, "run", "info", "experiment_id"),
                JsonText.text(r, "run", "info", "artifact_uri"));
    }

    void logParams(String runId, Map<String, String> params) {
        if (!params.isEmpty()) {
            post("runs/log-batch", Map.of("run_id", runId, "params", keyValues(params)));
        }
    }

    /** Sets tags in batches of MLflow's per-request limit. */
    void setTags(String runId, Map<String, String> tags) {
        List<Map.Entry<String, String>> all = new ArrayList<>(tags.entrySet());
        for (int i = 0; i < all.size(); i += MAX_TAGS_PER_BATCH) {
            Map<String, String> chunk = new LinkedHashMap<>();
            all.subList(i, Math.min(all.size(), i + MAX_TAGS_PER_BATCH))
                    .forEach(e -> chunk.put(e.getKey(), e.getValue()));
            post("runs/log-batch", Map.of("run_id", runId, "tags", keyValues(chunk)));
        }
    }

    void logInputs(String runId, List<DataInput> inputs) {
        if (inputs.isEmpty()) {
            return;
        }
        List<Object> datasets = new ArrayList<>();
        for (DataInput in : inputs) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", in.path());
            d.put("digest", in.md5());
            d.put("source_type", "dvc");
            d.put("source", in.source());
            d.put("profile", in.profileJson());
            datasets.add(Map.of("dataset", d));
        }
        post("runs/log-inputs", Map.of("run_id", runId, "datasets", datasets));
    }

    void endRun(String runId, String status, long endTime) {
        post("runs/update", Map.of("run_id", runId, "status", status, "end_time", endTime));
    }

    /** Uploads through the server's artifact proxy; only {@code mlflow-artifacts:} roots go that way. */
    void upload(RunRef run, String artifactPath, byte[] content) {
        call("PUT", artifactUri(run, artifactPath), content);
    }

    static boolean proxied(RunRef run) {
        return ProxiedRoots.of(run.artifactUri()).isPresent();
    }

    private String artifactUri(RunRef run, String artifactPath) {
        String root = ProxiedRoots.of(run.artifactUri()).orElseThrow();
        StringBuilder path = new StringBuilder(base).append("/api/2.0/mlflow-artifacts/artifacts");
        for (String segment : (root + "/" + artifactPath).split("/")) {
            if (!segment.isEmpty()) {
                path.append('/')
                        .append(URLEncoder.encode(segment, StandardCharsets.UTF_8)
                                .replace("+", "%20"));
            }
        }
        return path.toString();
    }

    private static List<Map<String, String>> keyValues(Map<String, String> map) {
        List<Map<String, String>> out = new ArrayList<>();
        map.forEach((k, v) -> out.add(Map.of("key", k, "value", v)));
        return out;
    }

    private String api(String endpoint) {
        return base + "/api/2.0/mlflow/" + endpoint;
    }

    /** A GET of the MLflow API, e.g. {@code runs/get?run_id=...}. */
    Object get(String endpointAndQuery) {
        return call("GET", api(endpointAndQuery), null);
    }

    Object post(String endpoint, Map<String, ?> body) {
        return call("POST", api(endpoint), JsonText.write(body, false).getBytes(StandardCharsets.UTF_8));
    }

    private Object call(String method, String url, byte[] body) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout(CONNECT_TIMEOUT_MS);
            c.setReadTimeout(READ_TIMEOUT_MS);
            c.setRequestProperty("User-Agent", "reprise-run");
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
            return response(c, url);
        } catch (ConnectException e) {
            throw new ServerError("UNREACHABLE", "connection refused");
        } catch (IOException e) {
            throw new ServerError(
                    "UNREACHABLE", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static Object response(HttpURLConnection c, String url) throws IOException {
        int status = c.getResponseCode();
        String text;
        try (InputStream in = status / 100 == 2 ? c.getInputStream() : c.getErrorStream()) {
            text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Object json;
        try {
            json = text.isBlank() ? Map.of() : JsonText.read(text);
        } catch (RuntimeException e) {
            json = Map.of(); // not JSON: not an MLflow server, reported below by status
        }
        if (status / 100 != 2) {
            String code = JsonText.text(json, "error_code");
            String message = JsonText.text(json, "message");
            throw new ServerError(
                    code.isEmpty() ? "HTTP_" + status : code,
                    message.isEmpty() ? "HTTP " + status + " from " + url : message);
        }
        return json;
    }
}
