package io.reprise.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSmokeTest {
    @TempDir
    Path dir;

    @Test
    void freshServerAnswersHealthVersionAndHasTheDefaultExperiment() {
        try (TestServer server = TestServer.start(dir)) {
            assertThat(server.get("/health")).isEqualTo(new TestServer.Response(200, "OK"));
            assertThat(server.get("/version").body()).matches("\\d+\\.\\d+\\.\\d+");
            TestServer.Response r = server.get("/api/2.0/mlflow/experiments/get?experiment_id=0");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body())
                    .contains("\"name\":\"Default\"")
                    .contains("\"artifact_location\":\"mlflow-artifacts:/0\"");
        }
    }

    @Test
    void unknownEndpointIsAJsonNotFound() {
        try (TestServer server = TestServer.start(dir)) {
            TestServer.Response r = server.get("/api/2.0/mlflow/no-such-thing");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.body()).contains("\"error_code\":\"ENDPOINT_NOT_FOUND\"");
        }
    }
}
