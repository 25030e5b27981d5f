package io.reprise.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.model.ErrorCode;
import io.reprise.testing.TestServer;
import io.reprise.testing.TestServer.Response;
import io.reprise.tracking.ErrorBody;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbolic links planted inside the artifact root (by an operator, a restored backup, another tool)
 * that point outside it: no read, write, listing or deletion through them may reach their target.
 */
class SymlinkEscapeTest {
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final String INVALID_PATH =
            ErrorBody.of(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid path").toString();
    private static final String SECRET = "SECRET-outside-the-root";

    @TempDir
    Path dir;

    private TestServer server;
    private Path outside;
    private Path runDir;
    private String runId;
    private String runPath;

    @BeforeEach
    void plantLinks() throws IOException {
        server = TestServer.start(dir);
        runId = new ObjectMapper()
                .readTree(server.post("/api/2.0/mlflow/runs/create", "{\"experiment_id\":\"0\"}")
                        .body())
                .at("/run/info/run_id")
                .asText();
        runPath = "0/" + runId + "/artifacts";
        runDir = Files.createDirectories(dir.resolve("artifacts").resolve(runPath));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.writeString(runDir.resolve("ok.txt"), "fine");
        Files.createSymbolicLink(runDir.resolve("link-dir"), outside);
        Files.createSymbolicLink(runDir.resolve("link-file"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(runDir.resolve("dangling"), dir.resolve("nowhere"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void readingThroughALinkIsRefused() {
        for (String path : new String[] {"link-dir/secret.txt", "link-file"}) {
            assertRefused(server.get(PROXY + runPath + "/" + path));
            assertRefused(server.get("/get-artifact?run_id=" + runId + "&path=" + path));
        }
    }

    @Test
    void listingThroughALinkIsRefused() {
        assertRefused(server.get(PROXY.substring(0, PROXY.length() - 1) + "?path=" + runPath + "/link-dir"));
        assertRefused(server.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=link-dir"));
    }

    @Test
    void listingAFolderLeavesOutLinksThatLeaveTheRoot() {
        Response r = server.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId);

        assertThat(r.body()).contains("\"path\":\"ok.txt\"").doesNotContain("link-dir", "link-file", "dangling");
    }

    @Test
    void writingIntoALinkedFolderIsRefusedAndCreatesNothingOutside() throws IOException {
        for (String path : new String[] {"link-dir/new.txt", "link-dir/newsub/deeper/new.txt"}) {
            assertRefused(put(runPath + "/" + path, "overwritten"));
        }

        assertThat(listing(outside)).containsExactly("secret.txt");
    }

    @Test
    void writingOverALinkIsRefusedAndLeavesLinkAndTargetAlone() throws IOException {
        for (String path : new String[] {"link-file", "dangling"}) {
            assertRefused(put(runPath + "/" + path, "overwritten"));
        }

        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo(SECRET);
        assertThat(runDir.resolve("link-file")).isSymbolicLink();
        assertThat(dir.resolve("nowhere")).doesNotExist();
    }

    @Test
    void deletingThroughOrAtALinkIsRefused() throws IOException {
        for (String path : new String[] {"link-dir/secret.txt", "link-dir", "link-file"}) {
            assertRefused(delete(runPath + "/" + path));
        }

        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo(SECRET);
        assertThat(runDir.resolve("link-dir")).isSymbolicLink();
    }

    @Test
    void deletingAFolderThatHoldsLinksRemovesTheLinksNotTheirTargets() throws IOException {
        Response r = delete(runPath);

        assertThat(r).isEqualTo(new Response(200, "{}"));
        assertThat(runDir).doesNotExist();
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo(SECRET);
    }

    private static void assertRefused(Response r) {
        assertThat(r).isEqualTo(new Response(400, INVALID_PATH));
        assertThat(r.body()).doesNotContain(SECRET);
    }

    private Response put(String path, String content) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + PROXY + path))
                .PUT(HttpRequest.BodyPublishers.ofString(content)));
    }

    private Response delete(String path) {
        return server.send(
                HttpRequest.newBuilder(URI.create(server.url() + PROXY + path)).DELETE());
    }

    private static java.util.List<String> listing(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(p -> !p.equals(folder))
                    .map(p -> folder.relativize(p).toString())
                    .toList();
        }
    }
}
