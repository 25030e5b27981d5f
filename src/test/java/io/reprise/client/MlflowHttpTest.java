package io.reprise.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.reprise.testing.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared transport against a real server: bodies in and out, MLflow's errors, an unreachable server. */
class MlflowHttpTest {
    @Test
    void callsTheApiAndMapsMlflowErrors(@TempDir Path dir) {
        try (TestServer server = TestServer.start(dir)) {
            MlflowHttp http = new MlflowHttp(URI.create(server.url() + "/"), Map.of(), "test", 5_000, 5_000);
            assertThat(http.base()).isEqualTo(server.url());

            byte[] created = http.post("experiments/create", "{\"name\":\"e1\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(created, StandardCharsets.UTF_8)).contains("experiment_id");

            MlflowHttp.Failure missing = catchThrowableOfType(
                    MlflowHttp.Failure.class, () -> http.get("runs/get?run_id=" + MlflowHttp.encode("no such")));
            assertThat(missing.code()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
            assertThat(missing.notFound()).isTrue();
            assertThat(missing.unreachable()).isFalse();
            assertThat(missing.getMessage()).contains("no such");

            MlflowHttp.Failure taken = catchThrowableOfType(
                    MlflowHttp.Failure.class,
                    () -> http.post("experiments/create", "{\"name\":\"e1\"}".getBytes(StandardCharsets.UTF_8)));
            assertThat(taken.code()).isEqualTo("RESOURCE_ALREADY_EXISTS");
        }
    }

    @Test
    void aServerThatIsNotThereIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        MlflowHttp http = new MlflowHttp(URI.create("http://127.0.0.1:" + port), Map.of(), "test", 2_000, 2_000);
        assertThatThrownBy(() -> http.get("experiments/search"))
                .isInstanceOfSatisfying(
                        MlflowHttp.Failure.class,
                        f -> assertThat(f.unreachable()).isTrue())
                .hasMessageStartingWith("cannot reach the tracking server at http://127.0.0.1:" + port + " (");
    }

    @Test
    void anErrorBodyThatIsNotMlflowsLeavesTheStatusToTell() {
        MlflowHttp.Failure html =
                MlflowHttp.failure(502, "<html>Bad gateway</html>".getBytes(StandardCharsets.UTF_8), "u");
        assertThat(html.code()).isEqualTo("HTTP_502");
        assertThat(html.getMessage()).isEqualTo("HTTP 502 from u");
        MlflowHttp.Failure nested = MlflowHttp.failure(
                400,
                "{\"details\":{\"error_code\":\"X\"},\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"bad\"}"
                        .getBytes(StandardCharsets.UTF_8),
                "u");
        assertThat(nested.code()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(nested.getMessage()).isEqualTo("bad");
        assertThat(MlflowHttp.failure(404, new byte[0], "u").notFound()).isTrue();
    }

    @Test
    void credentialsAreSentAsTheMlflowClientSendsThem() {
        assertThat(MlflowHttp.authorization(Map.of("MLFLOW_TRACKING_TOKEN", "t")))
                .isEqualTo("Bearer t");
        assertThat(MlflowHttp.authorization(
                        Map.of("MLFLOW_TRACKING_USERNAME", "ana", "MLFLOW_TRACKING_PASSWORD", "pw")))
                .isEqualTo("Basic YW5hOnB3");
        assertThat(MlflowHttp.authorization(Map.of())).isNull();
    }
}
