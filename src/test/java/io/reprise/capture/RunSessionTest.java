package io.reprise.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.testing.ServerRuns;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RunSession through its public API, in process: stops that race with the start of a run. */
class RunSessionTest extends ServerFixture {

    @Test
    void stopBeforeTheCommandStartsEndsTheRunKilledWithoutRunningIt() throws Exception {
        RunSpec spec = RunSpec.of(
                List.of("sh", "-c", "touch marker"),
                project,
                Map.of("PATH", System.getenv("PATH")),
                server.url(),
                null,
                null,
                null,
                List.of());
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        RunSession session = new RunSession(spec, quiet, quiet);
        Thread stopper = Thread.ofPlatform().start(() -> {
            try {
                session.stop(); // as the shutdown hook would, on a SIGTERM during start-up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(1000); // let the stop land first

        assertThatThrownBy(session::execute)
                .isInstanceOf(CaptureException.class)
                .hasMessage("stopped before the command started");
        stopper.join();

        assertThat(project.resolve("marker")).doesNotExist();
        JsonNode runs = ServerRuns.parse(server.post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\":[\"0\"]}")
                        .body())
                .path("runs");
        assertThat(runs).hasSize(1);
        ServerRuns.RecordedRun run =
                ServerRuns.get(server, runs.get(0).path("info").path("run_id").asText());
        assertThat(run.status()).isEqualTo("KILLED");
        assertThat(run.tags()).containsEntry("reprise.error", "stopped before the command started");
    }
}
