package io.reprise.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.testing.GitRepo;
import io.reprise.testing.RepriseCli;
import io.reprise.testing.ServerRuns;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the command's outcome becomes the run's status and reprise's exit code. */
class RunLifecycleTest extends ServerFixture {

    @Test
    void failingCommandEndsFailedAndItsExitCodeIsPassedThrough() {
        RepriseCli.Result r = reprise().run("run", "--", "sh", "-c", "echo oops >&2; exit 3");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("oops");
        ServerRuns.RecordedRun run = recorded(r);
        assertThat(run.status()).isEqualTo("FAILED");
        assertThat(run.tags()).containsEntry("reprise.exit_code", "3");
        assertThat(run.artifact("reprise/output.log")).isEqualTo("oops\n");
    }

    @Test
    void sigtermIsForwardedAndTheRunEndsKilled() throws Exception {
        Path pidFile = project.resolve("pid");
        Process reprise = reprise().start("run", "--", "sh", "-c", "echo $$ > pid.tmp; mv pid.tmp pid; exec sleep 60");
        awaitFile(pidFile);
        long commandPid = Long.parseLong(Files.readString(pidFile).strip());

        reprise.destroy(); // SIGTERM to reprise, as `kill` or a scheduler would send
        RepriseCli.Result r = RepriseCli.finish(reprise);

        assertThat(r.exitCode()).isEqualTo(143); // 128 + SIGTERM, as a shell reports it
        assertThat(ProcessHandle.of(commandPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        ServerRuns.RecordedRun run = recorded(r);
        assertThat(run.status()).isEqualTo("KILLED");
        assertThat(run.manifest().path("run").path("status").asText()).isEqualTo("KILLED");
        assertThat(run.tags()).containsEntry("reprise.exit_code", "143");
    }

    @Test
    void ctrlCIsForwardedAndTheRunEndsKilled() throws Exception {
        Path pidFile = project.resolve("pid");
        Process reprise = reprise().start("run", "--", "sh", "-c", "echo $$ > pid.tmp; mv pid.tmp pid; exec sleep 60");
        awaitFile(pidFile);

        // SIGINT to reprise alone: the worst case of Ctrl-C, where the terminal's signal misses the command
        GitRepo.run(project, List.of("kill", "-INT", String.valueOf(reprise.pid())));
        RepriseCli.Result r = RepriseCli.finish(reprise);

        assertThat(r.exitCode()).isEqualTo(130); // 128 + SIGINT
        ServerRuns.RecordedRun run = recorded(r);
        assertThat(run.status()).isEqualTo("KILLED");
        assertThat(run.tags()).containsEntry("reprise.exit_code", "143"); // the command got SIGTERM
    }

    @Test
    void commandKilledFromOutsideEndsKilledWithItsExitCode() {
        RepriseCli.Result r = reprise().run("run", "--", "sh", "-c", "kill -KILL $$"); // as the OOM killer would

        assertThat(r.exitCode()).isEqualTo(137);
        ServerRuns.RecordedRun run = recorded(r);
        assertThat(run.status()).isEqualTo("KILLED");
        assertThat(run.tags()).containsEntry("reprise.exit_code", "137");
    }

    @Test
    void serverGoneDuringTheRunIsReportedAndTheExitCodeKept() throws Exception {
        Process reprise =
                reprise().start("run", "--", "sh", "-c", "echo $$ > pid.tmp; mv pid.tmp pid; sleep 5; exit 4");
        awaitFile(project.resolve("pid"));

        server.close();
        RepriseCli.Result r = RepriseCli.finish(reprise);

        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stderr()).contains("reprise: could not finish recording run " + r.runId());
    }

    @Test
    void unreachableServerFailsBeforeTheCommandRuns() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        RepriseCli.Result r = reprise()
                .env("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + closedPort)
                .run("run", "--", "sh", "-c", "touch marker");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr().strip())
                .startsWith("reprise run: cannot reach the tracking server at http://127.0.0.1:" + closedPort)
                .contains("the command was not run", "hint: start it with 'reprise server'")
                .doesNotContain("\n", "\tat ");
        assertThat(project.resolve("marker")).doesNotExist();
    }

    @Test
    void withoutATrackingUriItIsAUsageErrorNamingTheVariable() {
        RepriseCli.Result r = new RepriseCli(project, home).run("run", "--", "sh", "-c", "touch marker");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().strip())
                .startsWith("reprise run: no tracking server given")
                .contains("--tracking-uri", "MLFLOW_TRACKING_URI")
                .doesNotContain("\n");
        assertThat(project.resolve("marker")).doesNotExist();
    }

    @Test
    void missingConfigFileStopsBeforeTheCommandRuns() {
        RepriseCli.Result r = reprise().run("run", "--config", "nope.yaml", "--", "sh", "-c", "touch marker");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("config file not found").contains("nope.yaml");
        assertThat(project.resolve("marker")).doesNotExist();
    }

    @Test
    void commandThatCannotStartExits127AndTheRunEndsFailed() {
        RepriseCli.Result r = reprise().run("run", "--", "no-such-program-xyz");

        assertThat(r.exitCode()).isEqualTo(127);
        assertThat(r.stderr()).contains("reprise run: cannot run 'no-such-program-xyz'");
        ServerRuns.RecordedRun run = recorded(r);
        assertThat(run.status()).isEqualTo("FAILED");
        assertThat(run.tags().get("reprise.error")).contains("cannot start command");
    }

    @Test
    void namedExperimentIsCreatedOnceAndReused() {
        RepriseCli.Result first = reprise().run("run", "--experiment", "demo", "--run-name", "a", "--", "true");
        RepriseCli.Result second =
                reprise().env("MLFLOW_EXPERIMENT_NAME", "demo").run("run", "--", "true");

        ServerRuns.RecordedRun a = recorded(first);
        ServerRuns.RecordedRun b = recorded(second);
        assertThat(a.experimentId()).isNotEqualTo("0").isEqualTo(b.experimentId());
        assertThat(a.json().path("info").path("run_name").asText()).isEqualTo("a");
    }

    @Test
    void optionsAfterTheCommandBelongToTheCommandSoDoubleDashIsOptional() {
        RepriseCli.Result r = reprise().run("run", "--seed", "5", "sh", "-c", "echo $REPRISE_SEED \"$0\"", "--seed");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("5 --seed\n");
        assertThat(recorded(r).params()).containsEntry("seed", "5");
    }

    @Test
    void helpDescribesTheCommand() {
        RepriseCli.Result r = new RepriseCli(project, home).run("run", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("Usage: reprise run").contains("--tracking-uri", "--seed", "--config");
    }

    private static void awaitFile(Path file) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!Files.exists(file)) {
            assertThat(Instant.now()).as("waiting for " + file).isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
