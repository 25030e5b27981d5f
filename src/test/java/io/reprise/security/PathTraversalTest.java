package io.reprise.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.model.ErrorCode;
import io.reprise.testing.RawHttp;
import io.reprise.testing.RawHttp.Reply;
import io.reprise.testing.TestServer;
import io.reprise.tracking.ErrorBody;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every traversal trick from MLflow's CVE history, sent byte for byte over a socket to every
 * endpoint that takes an artifact path: each must be refused with a 400 JSON error, and nothing on
 * disk (inside or outside the artifact root) may be read, written or deleted.
 */
class PathTraversalTest {
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";
    private static final String INVALID_PATH =
            ErrorBody.of(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid path").toString();
    private static final String CANARY = "CANARY-must-survive";

    @TempDir
    static Path dir;

    private static TestServer server;
    private static String runId;
    private static Map<String, String> before;

    /** Which layer refuses a payload sent in the URL path: our path check, or Jetty's URI parser. */
    enum Layer {
        HANDLER,
        JETTY
    }

    enum Op {
        UPLOAD,
        DOWNLOAD,
        DELETE,
        LIST,
        RUN_LIST,
        GET_ARTIFACT;

        boolean inUrlPath() {
            return this == UPLOAD || this == DOWNLOAD || this == DELETE;
        }
    }

    @BeforeAll
    static void startServerWithCanaries() throws IOException {
        server = TestServer.start(dir);
        runId = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(server.post("/api/2.0/mlflow/runs/create", "{\"experiment_id\":\"0\"}")
                        .body())
                .at("/run/info/run_id")
                .asText();
        // where the payloads aim: next to the root, at the root's parent, and inside the run folder
        Files.writeString(dir.resolve("x"), CANARY);
        Files.writeString(dir.resolve("passwd"), CANARY);
        Files.createDirectories(dir.resolve("artifacts/0/" + runId));
        Files.writeString(dir.resolve("artifacts/0/" + runId + "/x"), CANARY);
        Files.writeString(dir.resolve("artifacts/kept.txt"), CANARY);
        before = snapshot();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void nothingOnDiskChanged() throws IOException {
        TreeMap<String, String> after = snapshot();
        restore(after);
        assertThat(after).isEqualTo(before);
    }

    // Puts the disk back as it was, so one breach fails one case rather than every case after it.
    private static void restore(TreeMap<String, String> after) throws IOException {
        for (String name : after.descendingKeySet()) {
            if (!before.containsKey(name)) {
                Files.delete(dir.resolve(name));
            }
        }
        for (Map.Entry<String, String> e : before.entrySet()) {
            Path p = dir.resolve(e.getKey());
            if (e.getValue().equals("<dir>")) {
                Files.createDirectories(p);
            } else {
                Files.writeString(p, e.getValue());
            }
        }
    }

    static Stream<Arguments> refusals() {
        String canary = dir.resolve("x").toAbsolutePath().toString();
        List<Arguments> cases = new ArrayList<>();
        for (Op op : Op.values()) {
            for (Object[] p : payloads(canary)) {
                cases.add(Arguments.of(op, p[0], p[1]));
            }
        }
        return cases.stream();
    }

    private static List<Object[]> payloads(String canaryAbsolute) {
        return List.of(
                new Object[] {"../x", Layer.HANDLER},
                new Object[] {"a/../../x", Layer.HANDLER},
                new Object[] {"..", Layer.HANDLER},
                new Object[] {"%2e%2e", Layer.HANDLER},
                new Object[] {"%2e%2e/x", Layer.HANDLER},
                new Object[] {".%2e/x", Layer.HANDLER},
                new Object[] {"%2E%2E%2Fx", Layer.HANDLER},
                new Object[] {"%252e%252e%252fx", Layer.HANDLER},
                new Object[] {"%25252e%25252e%25252fx", Layer.HANDLER},
                new Object[] {"..%2fx", Layer.HANDLER},
                new Object[] {"..%252fx", Layer.HANDLER},
                new Object[] {"..\\x", Layer.HANDLER},
                new Object[] {"..%5cx", Layer.HANDLER},
                new Object[] {"a\\..\\..\\x", Layer.HANDLER},
                new Object[] {"a/..;/x", Layer.HANDLER},
                new Object[] {"a/..;jsessionid=1/../x", Layer.HANDLER},
                new Object[] {"a/..%3b/x", Layer.HANDLER},
                new Object[] {"/etc/passwd", Layer.HANDLER},
                new Object[] {"%2fetc%2fpasswd", Layer.HANDLER},
                new Object[] {"/" + canaryAbsolute, Layer.HANDLER},
                new Object[] {"%2f" + canaryAbsolute.substring(1).replace("/", "%2f"), Layer.HANDLER},
                new Object[] {"file:" + canaryAbsolute, Layer.HANDLER},
                new Object[] {"C:\\x", Layer.HANDLER},
                new Object[] {"C:/x", Layer.HANDLER},
                new Object[] {"c:x", Layer.HANDLER},
                new Object[] {"x#frag", Layer.HANDLER},
                new Object[] {"x%23frag", Layer.HANDLER},
                new Object[] {"a%01b", Layer.HANDLER},
                new Object[] {"a%0d%0aSet-Cookie:%20x=1", Layer.HANDLER},
                new Object[] {"a%7fb", Layer.HANDLER},
                new Object[] {"%c0%ae%c0%ae/x", Layer.HANDLER},
                new Object[] {"%u002e%u002e/x", Layer.HANDLER},
                new Object[] {"%252e%252e%u002fx", Layer.HANDLER},
                // Jetty itself refuses a NUL escape and a path that climbs above "/"
                new Object[] {"a%00b", Layer.JETTY},
                new Object[] {"../../../../../../../../x", Layer.JETTY});
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("refusals")
    void isRefusedAndTouchesNothing(Op op, String payload, Layer layer) {
        Reply reply = send(op, payload);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.body()).doesNotContain(CANARY).doesNotContain("root:");
        if (op.inUrlPath() && layer == Layer.JETTY) {
            assertThat(reply.body()).startsWith("{\"error_code\":\"BAD_REQUEST\",\"message\":\"Bad HTTP request");
        } else {
            assertThat(reply.body()).isEqualTo(INVALID_PATH);
        }
    }

    @Test
    void aRawNulByteInTheRequestLineIsAJsonError() {
        Reply reply = RawHttp.request(port(), "GET", PROXY + "/a\0b", new byte[0]);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).startsWith("{\"error_code\":\"BAD_REQUEST\"");
    }

    @Test
    void theAjaxAliasRefusesTraversalToo() {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            Reply reply = RawHttp.request(
                    port(), method, "/ajax-api/2.0/mlflow-artifacts/artifacts/%252e%252e%252fx", bytes());
            assertThat(reply.body()).as(method).isEqualTo(INVALID_PATH);
        }
    }

    private static Reply send(Op op, String payload) {
        int port = port();
        String q = URLEncoder.encode(payload, StandardCharsets.UTF_8);
        return switch (op) {
            case UPLOAD -> RawHttp.request(port, "PUT", PROXY + "/" + payload, bytes());
            case DOWNLOAD -> RawHttp.request(port, "GET", PROXY + "/" + payload, new byte[0]);
            case DELETE -> RawHttp.request(port, "DELETE", PROXY + "/" + payload, new byte[0]);
            case LIST -> RawHttp.request(port, "GET", PROXY + "?path=" + q, new byte[0]);
            case RUN_LIST ->
                RawHttp.request(
                        port, "GET", "/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=" + q, new byte[0]);
            case GET_ARTIFACT ->
                RawHttp.request(port, "GET", "/get-artifact?run_id=" + runId + "&path=" + q, new byte[0]);
        };
    }

    private static int port() {
        return java.net.URI.create(server.url()).getPort();
    }

    private static byte[] bytes() {
        return "overwritten!".getBytes(StandardCharsets.UTF_8);
    }

    /** Every file and folder under the test folder (database aside) with its content. */
    private static TreeMap<String, String> snapshot() throws IOException {
        TreeMap<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                String name = dir.relativize(p).toString();
                if (!name.startsWith("reprise.db")) {
                    files.put(name, Files.isRegularFile(p) ? Files.readString(p) : "<dir>");
                }
            }
        }
        return files;
    }
}
