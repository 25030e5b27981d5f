package io.reprise.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.model.ErrorCode;
import io.reprise.testing.TestServer;
import io.reprise.testing.TestServer.Response;
import io.reprise.tracking.ErrorBody;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/2.0/mlflow/artifacts/list} and {@code GET /get-artifact}: a run's artifacts by run id. */
class RunArtifactsTest {
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";

    @TempDir
    Path dir;

    private TestServer server;
    private String runId;
    private String rootUri;

    @BeforeEach
    void startWithARun() throws Exception {
        server = TestServer.start(dir);
        var info = new ObjectMapper()
                .readTree(server.post("/api/2.0/mlflow/runs/create", "{\"experiment_id\":\"0\"}")
                        .body())
                .at("/run/info");
        runId = info.get("run_id").asText();
        rootUri = info.get("artifact_uri").asText();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aRunsArtifactsAreLoggedUnderItsMlflowArtifactsUri() {
        assertThat(rootUri).isEqualTo("mlflow-artifacts:/0/" + runId + "/artifacts");
    }

    @Test
    void listingGivesTheRootUriAndRunRelativePaths() {
        upload("metrics.txt", "0.9");
        upload("model/MLmodel", "flavors: {}");
        upload("model/data/weights.bin", "0101");

        assertThat(list(""))
                .isEqualTo(new Response(
                        200,
                        "{\"root_uri\":\"" + rootUri + "\",\"files\":["
                                + "{\"path\":\"metrics.txt\",\"is_dir\":false,\"file_size\":3},"
                                + "{\"path\":\"model\",\"is_dir\":true}]}"));
        assertThat(list("&path=model"))
                .isEqualTo(new Response(
                        200,
                        "{\"root_uri\":\"" + rootUri + "\",\"files\":["
                                + "{\"path\":\"model/MLmodel\",\"is_dir\":false,\"file_size\":11},"
                                + "{\"path\":\"model/data\",\"is_dir\":true}]}"));
    }

    @Test
    void aRunWithoutArtifactsListsOnlyItsRootUri() {
        assertThat(list("")).isEqualTo(new Response(200, "{\"root_uri\":\"" + rootUri + "\"}"));
        assertThat(list("&path=no/such/folder")).isEqualTo(new Response(200, "{\"root_uri\":\"" + rootUri + "\"}"));
    }

    @Test
    void theDeprecatedRunUuidParameterWorksToo() {
        upload("a.txt", "a");

        assertThat(server.get("/api/2.0/mlflow/artifacts/list?run_uuid=" + runId)
                        .body())
                .contains("\"path\":\"a.txt\"");
        assertThat(server.get("/get-artifact?run_uuid=" + runId + "&path=a.txt").body())
                .isEqualTo("a");
    }

    @Test
    void getArtifactServesTheFileAsAnAttachment() throws Exception {
        upload("model/MLmodel", "flavors: {}");

        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        server.url() + "/get-artifact?run_id=" + runId + "&path=model/MLmodel"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("flavors: {}");
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"MLmodel\"");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void anUnknownRunIs404() {
        String notFound = ErrorBody.of(ErrorCode.RESOURCE_DOES_NOT_EXIST, "Run with id=nope not found")
                .toString();

        assertThat(server.get("/api/2.0/mlflow/artifacts/list?run_id=nope")).isEqualTo(new Response(404, notFound));
        assertThat(server.get("/get-artifact?run_id=nope&path=a.txt")).isEqualTo(new Response(404, notFound));
    }

    @Test
    void aMissingRunIdOrPathIs400() {
        assertThat(server.get("/api/2.0/mlflow/artifacts/list").status()).isEqualTo(400);
        assertThat(server.get("/get-artifact?path=a.txt").status()).isEqualTo(400);
        assertThat(server.get("/get-artifact?run_id=" + runId).body())
                .contains("Missing value for required parameter 'path'");
    }

    @Test
    void getArtifactOfAMissingFileIs404AndOfAFolderIs400() {
        upload("model/MLmodel", "m");

        assertThat(server.get("/get-artifact?run_id=" + runId + "&path=nope.txt")
                        .status())
                .isEqualTo(404);
        assertThat(server.get("/get-artifact?run_id=" + runId + "&path=model").body())
                .contains("Artifact path refers to a directory, not a file");
    }

    @Test
    void theAjaxAliasListsToo() {
        upload("a.txt", "a");

        assertThat(server.get("/ajax-api/2.0/mlflow/artifacts/list?run_id=" + runId)
                        .body())
                .contains("\"path\":\"a.txt\"");
    }

    private Response list(String query) {
        return server.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId + query);
    }

    private void upload(String path, String content) {
        Response r = server.send(
                HttpRequest.newBuilder(URI.create(server.url() + PROXY + "0/" + runId + "/artifacts/" + path))
                        .PUT(HttpRequest.BodyPublishers.ofString(content)));
        assertThat(r.status()).isEqualTo(200);
    }
}
