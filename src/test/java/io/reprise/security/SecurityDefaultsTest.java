package io.reprise.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.cli.Main;
import io.reprise.model.ErrorCode;
import io.reprise.testing.TestServer;
import io.reprise.testing.TestServer.Response;
import io.reprise.tracking.ErrorBody;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Safe by default: loopback only, no tricky artifact locations, no reading of other stores' paths. */
class SecurityDefaultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "SECRET-in-another-store";

    @TempDir
    Path dir;

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theServerCommandBindsLoopbackUnlessToldOtherwise() {
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs("server");

        assertThat((String)
                        parsed.subcommand().commandSpec().findOption("--host").getValue())
                .isEqualTo("127.0.0.1");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "s3://bucket/path#fragment",
                "s3://bucket/path?x=../../etc",
                "mlflow-artifacts:/x#y",
                "file:///tmp/x;params",
                "runs:/0123456789abcdef/model",
                "relative/path",
                "./here",
                "../up"
            })
    void trickyArtifactLocationsAreRefusedAtExperimentCreation(String location) throws Exception {
        Response r = createExperiment("exp", location);

        assertThat(r.status()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(server.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=exp")
                        .status())
                .isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file://", ""})
    void runsStoredElsewhereAreNeverReadFromThisServersDisk(String scheme) throws Exception {
        Path elsewhere = dir.resolve("elsewhere-" + scheme.length());
        String runId = runIn(experiment(scheme + elsewhere.toAbsolutePath()));
        Files.createDirectories(elsewhere.resolve(runId + "/artifacts"));
        Files.writeString(elsewhere.resolve(runId + "/artifacts/secret.txt"), SECRET);

        Response list = server.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId);
        Response get = server.get("/get-artifact?run_id=" + runId + "&path=secret.txt");

        for (Response r : new Response[] {list, get}) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("which this server does not serve").doesNotContain(SECRET, "secret.txt");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mlflow-artifacts:/../outside",
                "mlflow-artifacts:/%2e%2e/outside",
                "mlflow-artifacts:/0/..%2f..%2foutside"
            })
    void craftedProxyLocationsCannotLeaveTheArtifactRoot(String location) throws Exception {
        String runId = runIn(experiment(location));
        Path outside = Files.createDirectories(dir.resolve("outside/" + runId + "/artifacts"));
        Files.writeString(outside.resolve("secret.txt"), SECRET);

        Response list = server.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId);
        Response get = server.get("/get-artifact?run_id=" + runId + "&path=secret.txt");

        String invalid =
                ErrorBody.of(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid path").toString();
        assertThat(list).isEqualTo(new Response(400, invalid));
        assertThat(get).isEqualTo(new Response(400, invalid));
    }

    private Response createExperiment(String name, String location) throws Exception {
        String body = JSON.createObjectNode()
                .put("name", name)
                .put("artifact_location", location)
                .toString();
        return server.post("/api/2.0/mlflow/experiments/create", body);
    }

    private String experiment(String location) throws Exception {
        Response r = createExperiment("exp-" + Math.abs(location.hashCode()), location);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("experiment_id").asText();
    }

    private String runIn(String experimentId) throws Exception {
        JsonNode run =
                JSON.readTree(server.post("/api/2.0/mlflow/runs/create", "{\"experiment_id\":\"" + experimentId + "\"}")
                        .body());
        return run.at("/run/info/run_id").asText();
    }
}
