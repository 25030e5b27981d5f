package io.reprise.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.testing.RawHttp;
import io.reprise.testing.RawHttp.Reply;
import io.reprise.testing.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile and malformed requests to the tracking API: each gets MLflow's JSON error with the right
 * status (never a 500, an HTML page or a stack trace), and the server keeps serving afterwards.
 */
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/2.0/mlflow";
    private static final long OVER_LIMIT = 40L * 1024 * 1024;

    @TempDir
    static Path dir;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void serverStillServes() {
        assertThat(server.get("/health")).isEqualTo(new TestServer.Response(200, "OK"));
        assertThat(server.get(API + "/experiments/get?experiment_id=0").status())
                .isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{bad",
                "{\"name\": }",
                "[1, 2]",
                "\"a string\"",
                "42",
                "true",
                "{\"name\": \"x\"} trailing",
                "\"[1]\"",
                "\"\\\"str\\\"\""
            })
    void aBodyThatIsNotAJsonObjectIs400(String body) {
        assertError(post("/experiments/create", body), 400, "INVALID_PARAMETER_VALUE");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/experiments/create | {\"name\": 123}",
                "/experiments/create | {\"name\": [\"a\"]}",
                "/experiments/create | {\"name\": \"t1\", \"tags\": {\"k\": \"v\"}}",
                "/experiments/create | {\"name\": \"t2\", \"artifact_location\": {}}",
                "/runs/create | {\"experiment_id\": {\"id\": 0}}",
                "/runs/create | {\"experiment_id\": \"0\", \"start_time\": \"yesterday\"}",
                "/runs/create | {\"experiment_id\": \"0\", \"tags\": \"k=v\"}",
                "/runs/log-batch | {\"run_id\": \"r\", \"metrics\": {\"m\": 1}}",
                "/runs/log-metric | {\"run_id\": \"r\", \"key\": \"m\", \"value\": \"high\", \"timestamp\": 1}",
                "/runs/search | {\"experiment_ids\": \"0\", \"max_results\": \"many\"}",
                "/runs/search | {\"experiment_ids\": [{}]}",
                "/experiments/search | {\"view_type\": {}}"
            })
    void wrongFieldTypesAre400(String endpoint, String body) {
        assertError(post(endpoint, body), 400, "INVALID_PARAMETER_VALUE");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "GET /runs/get?run_id=0123456789abcdef0123456789abcdef",
                "GET /experiments/get?experiment_id=424242",
                "GET /experiments/get-by-name?experiment_name=never-created",
                "POST /runs/create {\"experiment_id\": \"424242\"}",
                "POST /runs/log-metric {\"run_id\": \"nope\", \"key\": \"m\", \"value\": 1, \"timestamp\": 1}",
                "POST /runs/update {\"run_id\": \"nope\", \"status\": \"FINISHED\"}",
                "POST /runs/delete {\"run_id\": \"nope\"}",
                "POST /experiments/delete {\"experiment_id\": \"424242\"}"
            })
    void unknownIdsAre404(String request) {
        String[] parts = request.split(" ", 3);
        Reply reply = parts[0].equals("GET")
                ? RawHttp.request(port(), "GET", API + parts[1], new byte[0])
                : post(parts[1], parts[2]);

        assertError(reply, 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-number", "99999999999999999999999"})
    void experimentIdsThatAreNotIntegersAre400AsInMlflow(String id) {
        Reply reply = RawHttp.request(port(), "GET", API + "/experiments/get?experiment_id=" + id, new byte[0]);

        assertError(reply, 400, "INVALID_PARAMETER_VALUE");
        assertThat(reply.body()).contains("Experiment ID must be a valid integer");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""})
    void aJsonBodyWithTheWrongContentTypeIs400(String contentType) {
        String head = "POST " + API + "/experiments/create HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + (contentType.isEmpty() ? "" : "Content-Type: " + contentType + "\r\n");
        byte[] body = "{\"name\": \"typed\"}".getBytes(StandardCharsets.UTF_8);
        Reply reply = RawHttp.exchange(port(), concat(head + "Content-Length: " + body.length + "\r\n\r\n", body));

        assertError(reply, 400, "INVALID_PARAMETER_VALUE");
        assertThat(reply.body()).contains("Content-Type must be 'application/json'");
    }

    @Test
    void aBodyOverTheLimitIs413WithContentLength() {
        String head = "POST " + API + "/experiments/create HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + OVER_LIMIT + "\r\n\r\n";

        assertError(RawHttp.streamed(port(), head, OVER_LIMIT, false), 413, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413Too() {
        String head = "POST " + API + "/runs/log-batch HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";

        Reply reply = RawHttp.streamed(port(), head, OVER_LIMIT, true);

        assertError(reply, 413, "INVALID_PARAMETER_VALUE");
        assertThat(reply.body()).contains("larger than the limit of 33554432 bytes");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{}", "{\"experiment_ids\": []}", "{\"experiment_ids\": null}"})
    void searchingNoExperimentsFindsNoRuns(String body) {
        Reply reply = post("/runs/search", body);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{}");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zz\r\n", "5\r\n{}   \r\nzz\r\n", "ffffff\r\n{}"})
    void aBrokenChunkedBodyIs400NotAnEmpty500(String chunks) {
        String request = "POST " + API + "/runs/search HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks;

        Reply reply = RawHttp.exchangeThenHalfClose(port(), request.getBytes(StandardCharsets.US_ASCII));

        assertError(reply, 400, "BAD_REQUEST");
    }

    @Test
    void pathologicalJsonIs400() {
        assertError(post("/experiments/create", "[".repeat(100_000)), 400, "INVALID_PARAMETER_VALUE");
        assertError(
                post("/experiments/create", "{\"name\": " + "9".repeat(100_000) + "}"), 400, "INVALID_PARAMETER_VALUE");
        assertError(
                post("/experiments/create", "{\"name\": \"" + "n".repeat(1_000_000) + "\"}"),
                400,
                "INVALID_PARAMETER_VALUE");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "GET, /runs/create, POST",
        "PUT, /runs/create, POST",
        "DELETE, /experiments/get, GET",
        "PATCH, /runs/log-batch, POST",
        "POST, /runs/get, GET"
    })
    void theWrongMethodIs405WithAllow(String method, String endpoint, String allowed) {
        Reply reply = RawHttp.request(port(), method, API + endpoint, "{}".getBytes(StandardCharsets.UTF_8));

        assertError(reply, 405, "BAD_REQUEST");
        assertThat(reply.header("Allow")).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/api/2.0/mlflow/no-such-thing",
                "/api/2.0/mlflow/runs/get/extra",
                "/nope",
                "/api/9.9/x",
                "/api/2.0/mlflow-artifacts"
            })
    void anUnknownEndpointIsAJson404(String path) {
        assertError(RawHttp.request(port(), "GET", path, new byte[0]), 404, "ENDPOINT_NOT_FOUND");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "GARBAGE\r\n\r\n",
                "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n",
                "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
                "GET /api/2.0/mlflow/runs/get%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /api/2.0/mlflow/runs/get%00 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /api/2.0/mlflow/runs/get\u0001 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /api/2.0/mlflow/../../../../x HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"
            })
    void requestsJettyCannotParseGetAJson400(String raw) {
        Reply reply = RawHttp.exchange(port(), (raw).getBytes(StandardCharsets.ISO_8859_1));

        assertError(reply, 400, "BAD_REQUEST");
    }

    @Test
    void anUnknownHttpVersionIs505ButStillAClientError() {
        Reply reply =
                RawHttp.exchange(port(), "GET /health HTTP/9.9\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertError(reply, 505, "BAD_REQUEST");
    }

    @Test
    void anOverlongUriIs414AndHugeHeadersAre431() {
        Reply uri = RawHttp.request(port(), "GET", "/health?x=" + "a".repeat(20_000), new byte[0]);
        Reply headers = RawHttp.exchange(
                port(),
                ("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));

        assertError(uri, 414, "BAD_REQUEST");
        assertError(headers, 431, "BAD_REQUEST");
    }

    @Test
    void aBadEscapeInTheQueryIsAJson400() {
        assertError(
                RawHttp.request(port(), "GET", API + "/runs/get?run_id=%zz", new byte[0]),
                400,
                "INVALID_PARAMETER_VALUE");
    }

    @Test
    void anOversizedBatchIs400AndWritesNothing() throws Exception {
        String runId = JSON.readTree(
                        post("/runs/create", "{\"experiment_id\": \"0\"}").body())
                .at("/run/info/run_id")
                .asText();
        StringBuilder metrics = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            metrics.append(i == 0 ? "" : ",")
                    .append("{\"key\":\"m\",\"value\":1,\"timestamp\":1,\"step\":")
                    .append(i)
                    .append('}');
        }

        assertError(
                post("/runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":[" + metrics + "]}"),
                400,
                "INVALID_PARAMETER_VALUE");
        assertThat(server.get(API + "/metrics/get-history?run_id=" + runId + "&metric_key=m")
                        .body())
                .isEqualTo("{}");
    }

    /** MLflow's error shape: string error_code and message, plus the sqlstate/error_class MLflow 3.x adds. */
    private static void assertError(Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).as(reply.toString()).startsWith("application/json");
        JsonNode body = parse(reply.body());
        assertThat(body.get("error_code").asText()).as(reply.body()).isEqualTo(code);
        assertThat(body.get("message").isTextual()).isTrue();
        assertThat(body.properties().stream().map(java.util.Map.Entry::getKey))
                .isSubsetOf("error_code", "message", "sqlstate", "error_class");
        assertThat(reply.body()).doesNotContain("\tat ", "Exception", "org.eclipse", "io.javalin", "<html", "<h1>");
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("Not JSON: " + body, e);
        }
    }

    private static Reply post(String endpoint, String json) {
        return RawHttp.exchange(
                port(),
                concat(
                        "POST " + API + endpoint + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Connection: close\r\nContent-Type: application/json\r\nContent-Length: "
                                + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n",
                        json.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] concat(String head, byte[] body) {
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    private static int port() {
        return URI.create(server.url()).getPort();
    }
}
