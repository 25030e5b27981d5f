package io.reprise.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.store.FreshDatabase;
import io.reprise.store.StoreBackends;
import io.reprise.testing.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container or service unit configures the server through the environment, with the names
 * {@code mlflow server} reads; a database password given that way never shows in its output.
 */
class ServerEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void theMlflowServerVariablesConfigureStoreArtifactsAndPortAndThePasswordStaysHidden() throws Exception {
        try (FreshDatabase db = StoreBackends.create(StoreBackends.POSTGRES, dir)) {
            String uri = db.uri().replace("postgres@", "postgres:s3cret-pw@");
            Path artifacts = dir.resolve("env-artifacts");
            try (ServerProcess server = ServerProcess.start(
                    Files.createDirectories(dir.resolve("home")),
                    List.of(),
                    List.of(),
                    Map.of(
                            "MLFLOW_PORT",
                            "0",
                            "MLFLOW_BACKEND_STORE_URI",
                            uri,
                            "MLFLOW_ARTIFACTS_DESTINATION",
                            artifacts.toString()))) {
                HttpResponse<String> created = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(server.url() + "/api/2.0/mlflow/experiments/create"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"from-env\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());

                assertThat(created.statusCode()).isEqualTo(200);
                assertThat(server.output())
                        .contains("backend store:  postgresql://postgres:***@")
                        .contains("artifacts:      " + artifacts)
                        .doesNotContain("s3cret-pw");
                assertThat(db.store().findExperimentByName("from-env")).isPresent();
            }
        }
    }
}
