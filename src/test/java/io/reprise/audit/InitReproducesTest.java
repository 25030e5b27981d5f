package io.reprise.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.reprise.testing.GitRepo;
import io.reprise.testing.RepriseCli;
import io.reprise.testing.ServerRuns;
import io.reprise.testing.ServerRuns.RecordedRun;
import io.reprise.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise, as a user lives it: {@code reprise init} (which commits), {@code reprise data
 * push} to the default remote, {@code reprise run} of the project's MLproject on a real server, then
 * {@code reprise reproduce RUN_ID} from a second clone: REPRODUCED, with the metrics and outputs
 * compared. Once in the MLproject's own environment (built from the empty lock: the standard-library
 * logger), once in the current one with the real mlflow 3 client. Every reprise runs in its own JVM
 * with a private HOME.
 */
class InitReproducesTest {
    @TempDir
    Path dir;

    @Test
    void aNewProjectRunsAndReproducesFromASecondClone() throws Exception {
        Path venv = Path.of(System.getProperty("user.home"), ".cache/reprise/venv-mlflow3");
        assumeThat(venv.resolve("bin/python"))
                .as("scripts/python-env.sh mlflow3 creates it")
                .isExecutable();
        Path home = Files.createDirectories(dir.resolve("home"));
        try (TestServer server = TestServer.start(Files.createDirectories(dir.resolve("server")))) {
            RepriseCli cli = new RepriseCli(dir, home)
                    .env("PATH", venv.resolve("bin") + ":" + System.getenv("PATH"))
                    .env("PYENV_ROOT", pyenvRoot())
                    .env("MLFLOW_TRACKING_URI", server.url())
                    .env("GIT_AUTHOR_NAME", "Ada")
                    .env("GIT_AUTHOR_EMAIL", "ada@example.com")
                    .env("GIT_COMMITTER_NAME", "Ada")
                    .env("GIT_COMMITTER_EMAIL", "ada@example.com");

            // init commits the project itself: nothing to add by hand
            Path project = dir.resolve("churn");
            RepriseCli.Result init = ok(cli.run("init", project.toString()));
            Path remote = home.resolve(".local/share/reprise/remotes/churn");
            assertThat(init.stdout())
                    .contains("first commit ")
                    .contains("reprise data push              # the data version, to " + remote)
                    .contains("reprise data remote modify storage url s3://BUCKET/churn");
            assertThat(GitRepo.open(project).git("status", "--porcelain")).isEmpty();

            RepriseCli here = cli.in(project);
            ok(here.run("data", "push"));
            try (Stream<Path> pushed = Files.walk(remote)) {
                assertThat(pushed.filter(Files::isRegularFile)).hasSize(1); // data/train.csv
            }

            // the MLproject in its python_env, built from the lock: no mlflow in it
            String first = ok(here.run("run", "-e", "main", "--experiment", "churn", "."))
                    .runId();
            RecordedRun original = ServerRuns.get(server, first);
            assertThat(original.status()).isEqualTo("FINISHED");
            assertThat(original.params()).containsEntry("seed", "42").containsEntry("lr", "0.1");
            assertThat(original.metrics()).containsKeys("accuracy", "log_loss");
            assertThat(original.artifact("outputs/model.json")).startsWith("{\"weights\": [");

            // the same in the current environment, where the real mlflow 3 client logs
            String second = ok(here.run("run", "-e", "main", "--env-manager", "local", "--experiment", "churn", "."))
                    .runId();
            RecordedRun withMlflow = ServerRuns.get(server, second);
            assertThat(withMlflow.metrics()).isEqualTo(original.metrics());
            assertThat(withMlflow.tags()).containsKey("mlflow.source.git.commit");

            Path clone = dir.resolve("second-clone");
            GitRepo.cloneOf(project.toString(), clone);
            for (String runId : new String[] {first, second}) {
                RepriseCli.Result r = cli.in(clone).run("reproduce", runId);
                assertThat(r.exitCode()).as(r.all()).isZero();
                assertThat(r.stdout().strip()).endsWith("REPRODUCED");
                assertThat(r.stdout())
                        .containsPattern("accuracy +\\S+ +\\S+ +same")
                        .containsPattern("outputs/model.json +sha256:\\w{12} +sha256:\\w{12} +same");
                assertThat(r.stderr()).contains("data: restored data/train.csv");
                assertThat(ServerRuns.get(server, runId).tags())
                        .containsEntry("reprise.reproduction.verdict", "REPRODUCED");
            }

            // and the project still audits at 100, in the clone too
            RepriseCli.Result audit = cli.in(clone).run("audit", "--fail-under", "100");
            assertThat(audit.exitCode()).as(audit.all()).isZero();
            assertThat(audit.stdout()).contains("score 100/100");
        }
    }

    private static String pyenvRoot() {
        String root = System.getenv("PYENV_ROOT");
        return root != null
                ? root
                : Path.of(System.getProperty("user.home"), ".pyenv").toString();
    }

    private static RepriseCli.Result ok(RepriseCli.Result r) {
        assertThat(r.exitCode()).as(r.all()).isZero();
        return r;
    }
}
