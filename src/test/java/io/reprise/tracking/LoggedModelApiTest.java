package io.reprise.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logged-models REST endpoints on a real server: answers, errors and the artifact listing. */
class LoggedModelApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/2.0/mlflow/";

    @TempDir
    Path dir;

    private static JsonNode json(TestServer.Response r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static TestServer.Response send(TestServer s, String method, String path, String body) {
        return s.send(HttpRequest.newBuilder(URI.create(s.url() + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String create(TestServer s, String body) throws Exception {
        TestServer.Response r = s.post(API + "logged-models", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return json(r).at("/model/info/model_id").asText();
    }

    @Test
    void lifecycleThroughBothPrefixes() throws Exception {
        try (TestServer s = TestServer.start(dir)) {
            String id = create(
                    s,
                    "{\"experiment_id\": \"0\", \"name\": \"clf\", \"params\": [{\"key\": \"lr\","
                            + " \"value\": \"0.1\"}]}");
            JsonNode info = json(s.get(API + "logged-models/" + id)).at("/model/info");
            assertThat(info.get("status").asText()).isEqualTo("LOGGED_MODEL_PENDING");
            assertThat(info.get("artifact_uri").asText()).isEqualTo("mlflow-artifacts:/0/models/" + id + "/artifacts");
            assertThat(info.get("model_type").asText()).isEmpty();

            TestServer.Response fin = send(
                    s,
                    "PATCH",
                    "/ajax-api/2.0/mlflow/logged-models/" + id,
                    "{\"model_id\": \"" + id + "\", \"status\": \"LOGGED_MODEL_UPLOAD_FAILED\"}");
            assertThat(json(fin).at("/model/info/status").asText()).isEqualTo("LOGGED_MODEL_UPLOAD_FAILED");

            assertThat(send(
                                    s,
                                    "PATCH",
                                    API + "logged-models/" + id + "/tags",
                                    "{\"tags\": [{\"key\": \"k\", \"value\":" + " \"v\"}]}")
                            .status())
                    .isEqualTo(200);
            TestServer.Response search = s.post(
                    "/ajax-api/2.0/mlflow/logged-models/search",
                    "{\"experiment_ids\": [\"0\"], \"filter\": \"tags.k = 'v' AND status = 'FAILED'\"}");
            assertThat(json(search).at("/models/0/info/model_id").asText()).isEqualTo(id);
            assertThat(json(search).at("/models/0/data/params/0/key").asText()).isEqualTo("lr");

            assertThat(send(s, "DELETE", API + "logged-models/" + id, "{}").status())
                    .isEqualTo(200);
            TestServer.Response gone = s.get(API + "logged-models/" + id);
            assertThat(gone.status()).isEqualTo(404);
            assertThat(json(gone).get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
            assertThat(s.get(API + "logged-models/" + id + "?allow_deleted=true")
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void badInputIsAOneLineClientError() throws Exception {
        try (TestServer s = TestServer.start(dir)) {
            String id = create(s, "{\"experiment_id\": \"0\"}");
            String[][] cases = {
                {"POST", API + "logged-models", "{}", "Missing value for required parameter 'experiment_id'"},
                {"POST", API + "logged-models", "{\"experiment_id\": \"0\", \"name\": \"../x\"}", "Invalid model name"},
                {"POST", API + "logged-models", "{\"experiment_id\": \"abc\"}", "Invalid experiment ID 'abc'"},
                {"PATCH", API + "logged-models/" + id, "{\"model_id\": \"" + id + "\"}", "'status'"},
                {
                    "PATCH",
                    API + "logged-models/" + id,
                    "{\"model_id\": \"" + id + "\", \"status\": \"DONE\"}",
                    "Unknown model status: DONE"
                },
                {
                    "POST",
                    API + "logged-models/search",
                    "{\"experiment_ids\": [\"0\"], \"filter\": \"name =\"}",
                    "Invalid filter string"
                },
                {
                    "POST",
                    API + "logged-models/search",
                    "{\"experiment_ids\": [\"0\"], \"filter\": \"foo.bar = 'x'\"}",
                    "Invalid entity type: 'foo'"
                },
                {"POST", API + "runs/outputs", "{\"run_id\": \"nope\", \"models\": []}", "Run with id=nope not found"},
            };
            for (String[] c : cases) {
                TestServer.Response r = send(s, c[0], c[1], c[2]);
                assertThat(r.status()).as(c[2]).isBetween(400, 404);
                assertThat(json(r).get("message").asText())
                        .as(c[2])
                        .contains(c[3])
                        .doesNotContain("\n");
            }
        }
    }

    @Test
    void artifactDirectoriesListTheModelsFolderAndRefuseTraversal() throws Exception {
        try (TestServer s = TestServer.start(dir)) {
            String id = create(s, "{\"experiment_id\": \"0\"}");
            Path folder = dir.resolve("artifacts/0/models/" + id + "/artifacts");
            Files.createDirectories(folder.resolve("sub"));
            Files.writeString(folder.resolve("MLmodel"), "flavors: {}\n");
            Files.writeString(folder.resolve("sub/x.txt"), "x");
            String base = API + "logged-models/" + id + "/artifacts/directories";

            JsonNode top = json(s.get(base));
            assertThat(top.get("root_uri").asText()).isEqualTo("mlflow-artifacts:/0/models/" + id + "/artifacts");
            assertThat(top.get("files").toString())
                    .contains("{\"path\":\"MLmodel\",\"is_dir\":false,\"file_size\":12}")
                    .contains("{\"path\":\"sub\",\"is_dir\":true}");
            assertThat(json(s.get(base + "?artifact_directory_path=sub"))
                            .at("/files/0/path")
                            .asText())
                    .isEqualTo("sub/x.txt");

            TestServer.Response escape = s.get(base + "?artifact_directory_path=../../..");
            assertThat(escape.status()).isEqualTo(400);
            assertThat(json(escape).get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
            assertThat(s.get(API + "logged-models/m-unknown/artifacts/directories")
                            .status())
                    .isEqualTo(404);
        }
    }
}
