package io.reprise.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.reprise.artifact.ProxiedRoots;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The HTTP transport every Reprise client of a tracking server shares ({@code reprise run}'s capture,
 * {@code reprise reproduce}/{@code verify}, the CI gates): base URI, the Authorization header the
 * MLflow client sends, bodies in and out as bytes, and MLflow's error JSON mapped to {@link Failure}.
 *
 * <p>Deliberately small for {@code reprise run}'s start-up budget (issue #6): {@link
 * HttpURLConnection} rather than java.net.http (~0.45 s of CPU cold, while this one is in the JDK's
 * startup archive) and jackson-core's streaming parser rather than an ObjectMapper (~0.2 s cold).
 * Callers bring their own JSON model. Connections are kept alive and reused by the JDK.
 */
public final class MlflowHttp {
    /** A failure the server reported (its MLflow error code and message), {@code HTTP_<status>}, or UNREACHABLE. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String code;

        Failure(String code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** True when no answer came: connection refused, timeout, unknown host. */
        public boolean unreachable() {
            return UNREACHABLE.equals(code);
        }

        /** True for a missing resource: MLflow's RESOURCE_DOES_NOT_EXIST or a bare 404. */
        public boolean notFound() {
            return "RESOURCE_DOES_NOT_EXIST".equals(code) || "HTTP_404".equals(code);
        }
    }

    /** Reads a successful response body as it streams in. */
    @FunctionalInterface
    public interface BodyReader<T> {
        T read(InputStream in) throws IOException;
    }

    public static final String UNREACHABLE = "UNREACHABLE";
    public static final String NOT_PROXIED = "NOT_PROXIED";
    private static final JsonFactory JSON = new JsonFactory();

    private final String base;
    private final String authorization;
    private final String userAgent;
    private final int connectTimeoutMs;
    private final int readTimeoutMs;

    public MlflowHttp(URI base, Map<String, String> env, String userAgent, int connectTimeoutMs, int readTimeoutMs) {
        String s = base.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        this.authorization = authorization(env);
        this.userAgent = userAgent;
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
    }

    /** The server's URI without a trailing slash. */
    public String base() {
        return base;
    }

    /**
     * The Authorization header the MLflow client sends: MLFLOW_TRACKING_TOKEN, else
     * MLFLOW_TRACKING_USERNAME/PASSWORD; null when the environment sets no credentials.
     */
    public static String authorization(Map<String, String> env) {
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

    /** A GET of the MLflow REST API, e.g. {@code runs/get?run_id=...}: the response body. */
    public byte[] get(String endpointAndQuery) {
        return send("GET", api(endpointAndQuery), null);
    }

    /** A POST of a JSON body to the MLflow REST API, e.g. {@code runs/log-batch}. */
    public byte[] post(String endpoint, byte[] json) {
        return send("POST", api(endpoint), json);
    }

    /** The URL of an MLflow REST endpoint ({@code runs/get?...}); one starting with '/' is taken from the root. */
    public String api(String endpoint) {
        return endpoint.startsWith("/") ? base + endpoint : base + "/api/2.0/mlflow/" + endpoint;
    }

    /** Sends a request (a JSON body, or octet-stream for PUT) and returns the 2xx response body. */
    public byte[] send(String method, String url, byte[] body) {
        try {
            HttpURLConnection c = open(method, url, body);
            try (InputStream in = c.getInputStream()) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Sends a request and hands the 2xx response body to {@code reader} as it streams in. */
    public <T> T exchange(String method, String url, byte[] body, BodyReader<T> reader) {
        try {
            HttpURLConnection c = open(method, url, body);
            try (InputStream in = c.getInputStream()) {
                return reader.read(in);
            }
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** A connection whose status was 2xx; any other status is thrown as a {@link Failure}. */
    private HttpURLConnection open(String method, String url, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(connectTimeoutMs);
        c.setReadTimeout(readTimeoutMs);
        c.setRequestProperty("User-Agent", userAgent);
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
            byte[] error;
            try (InputStream in = c.getErrorStream()) {
                error = in == null ? new byte[0] : in.readAllBytes();
            }
            throw failure(status, error, url);
        }
        return c;
    }

    private Failure unreachable(IOException e) {
        return new Failure(
                UNREACHABLE,
                "cannot reach the tracking server at " + base + " ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")",
                e);
    }

    /**
     * The proxy URL of an artifact of a run whose artifact root is {@code artifactUri}; a
     * {@link Failure} NOT_PROXIED when the server does not serve that root (only {@code
     * mlflow-artifacts:} roots go through it).
     */
    public String artifactUrl(String artifactUri, String artifactPath) {
        String root = ProxiedRoots.of(artifactUri)
                .orElseThrow(() -> new Failure(
                        NOT_PROXIED,
                        "the run's artifacts (" + artifactUri + ") are not served by the tracking server; reprise"
                                + " reads and writes them through its mlflow-artifacts proxy only",
                        null));
        StringBuilder path = new StringBuilder(base).append("/api/2.0/mlflow-artifacts/artifacts");
        for (String segment : (root + "/" + artifactPath).split("/", -1)) {
            if (!segment.isEmpty()) {
                path.append('/').append(encode(segment).replace("+", "%20"));
            }
        }
        return path.toString();
    }

    /** A query-string value, URL-encoded. */
    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** MLflow's {@code {"error_code": ..., "message": ...}}; a body that is not JSON leaves the status to tell. */
    static Failure failure(int status, byte[] body, String url) {
        String code = "";
        String message = "";
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value == JsonToken.VALUE_STRING && field.equals("error_code")) {
                        code = p.getText();
                    } else if (value == JsonToken.VALUE_STRING && field.equals("message")) {
                        message = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            // not JSON (a proxy's HTML page, an empty body): the status says what went wrong
        }
        return new Failure(
                code.isEmpty() ? "HTTP_" + status : code,
                message.isEmpty() ? "HTTP " + status + " from " + url : message,
                null);
    }
}
