package io.reprise.capture;

import io.reprise.artifact.ProxiedRoots;
import io.reprise.client.MlflowHttp;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A thin client of the MLflow REST API: just the calls {@code reprise run} makes. Authenticates as
 * the MLflow client does (MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME/PASSWORD).
 *
 * <p>On the shared {@link MlflowHttp} transport (HttpURLConnection and jackson-core streaming, for
 * the start-up budget) with this package's {@link JsonText} model.
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

    private final MlflowHttp http;

    TrackingClient(URI base, Map<String, String> env) {
        this.http = new MlflowHttp(base, env, "reprise-run", CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
    }

    /** The id of the named experiment, created when missing (as mlflow.set_experiment does). */
    String experimentId(String name) {
        try {
            String q = "experiments/get-by-name?experiment_name=" + MlflowHttp.encode(name);
            return JsonText.text(get(q), "experiment", "experiment_id");
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
        send("PUT", http.artifactUrl(run.artifactUri(), artifactPath), content);
    }

    static boolean proxied(RunRef run) {
        return ProxiedRoots.of(run.artifactUri()).isPresent();
    }

    private static List<Map<String, String>> keyValues(Map<String, String> map) {
        List<Map<String, String>> out = new ArrayList<>();
        map.forEach((k, v) -> out.add(Map.of("key", k, "value", v)));
        return out;
    }

    /**
     * Loads and initialises the classes the first request needs (JSON, URL handler, HTTP
     * connection) without sending anything, so that it can happen in the background.
     */
    static void warmUp() {
        try {
            JsonText.read(JsonText.write(Map.of("run", List.of(Map.of("key", "value"))), false));
            java.net.URLConnection c = URI.create("http://127.0.0.1/").toURL().openConnection();
            c.setRequestProperty("User-Agent", "reprise-run");
        } catch (java.io.IOException | RuntimeException e) {
            // only a head start: the real request reports what is wrong
        }
    }

    /** A GET of the MLflow API, e.g. {@code runs/get?run_id=...}. */
    Object get(String endpointAndQuery) {
        return json(send("GET", http.api(endpointAndQuery), null));
    }

    Object post(String endpoint, Map<String, ?> body) {
        byte[] bytes = JsonText.write(body, false).getBytes(StandardCharsets.UTF_8);
        return json(send("POST", http.api(endpoint), bytes));
    }

    /** The shared transport's failures as this package's {@link ServerError}, with its short wording. */
    private byte[] send(String method, String url, byte[] body) {
        try {
            return http.send(method, url, body);
        } catch (MlflowHttp.Failure f) {
            if (f.unreachable()) {
                Throwable io = f.getCause();
                throw new ServerError(
                        "UNREACHABLE",
                        io instanceof ConnectException
                                ? "connection refused"
                                : io.getMessage() == null ? io.getClass().getSimpleName() : io.getMessage());
            }
            throw new ServerError(f.code(), f.getMessage());
        }
    }

    private static Object json(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            return text.isBlank() ? Map.of() : JsonText.read(text);
        } catch (RuntimeException e) {
            return Map.of(); // a 2xx that is not JSON: nothing to read from it
        }
    }
}
