package io.reprise.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.testing.RepriseCli;
import io.reprise.testing.ServerRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code reprise verify} on the training project: a seeded one passes, an unseeded one is caught. */
class VerifyTest extends EndToEnd {
    TrainingProject project;

    @BeforeAll
    void createProject() throws IOException {
        project = TrainingProject.create(tmp, cli);
    }

    @Test
    void aSeededProjectGivesIdenticalRunsRecordedOnTheGivenServer() throws IOException {
        Path clone = project.cloneAs("seeded");

        RepriseCli.Result r = cli.in(clone)
                .run(
                        "verify",
                        "--seed",
                        "42",
                        "--tracking-uri",
                        server.url(),
                        "--experiment",
                        "verify",
                        "--",
                        TrainingProject.python().toString(),
                        "train.py");

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout())
                .startsWith("IDENTICAL: 2 runs gave the same 1 metric(s), 1 produced file(s) and 1 artifact(s)\n")
                .containsPattern("  accuracy = 0\\.\\d+\n")
                .containsPattern("  out/model.txt  sha256:\\w{12}\n");
        assertThat(r.stderr())
                .contains("run 2/2: data checked out: data/train.csv")
                .doesNotContain("uncommitted");
        String experiment = ServerRuns.parse(
                        server.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=verify")
                                .body())
                .path("experiment")
                .path("experiment_id")
                .asText();
        var runs = ServerRuns.parse(
                        server.post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\":[\"" + experiment + "\"]}")
                                .body())
                .path("runs");
        assertThat(runs).hasSize(2);
        runs.forEach(
                run -> assertThat(run.path("data").path("params").toString()).contains("\"seed\"", "\"42\""));
        assertThat(cli.leftInTmp()).as("checkouts removed").isEmpty();
    }

    @Test
    void aProjectThatIgnoresTheSeedIsCaughtWithTheDifferences() throws IOException {
        Path clone = project.cloneAs("unseeded");
        Files.writeString( // an uncommitted edit: verify runs it, and says so
                clone.resolve("train.py"), TrainingProject.TRAIN_PY.replace("random.seed(int(seed))", "pass"));

        RepriseCli.Result r =
                cli.in(clone).run("verify", "--", TrainingProject.python().toString(), "train.py");

        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stderr())
                .containsPattern("reprise verify: seed (\\d+) \\(picked at random; --seed \\1 repeats it\\)")
                .contains("the work tree has uncommitted changes: each run gets them (train.py)")
                .contains("recording on a private tracking server");
        assertThat(r.stdout())
                .startsWith("DIFFERENT: the runs do not agree:\n")
                .containsPattern("run 1 vs run 2: metric accuracy: \\S+ != \\S+")
                .containsPattern("run 1 vs run 2: file out/model.txt: sha256:\\w{12} != sha256:\\w{12}");
        assertThat(cli.leftInTmp())
                .as("checkouts and the private server removed")
                .isEmpty();
    }

    @Test
    void oneRunIsNotAVerification() {
        RepriseCli.Result r = cli.run("verify", "--times", "1", "--", "true");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--times must be at least 2");
    }
}
