package io.reprise.reproduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.reprise.testing.GitRepo;
import io.reprise.testing.RepriseCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small deterministic training project, as a user would have one: a git repository pushed to a
 * bare "origin", its data tracked with {@code reprise data} and pushed to a local DVC remote, a
 * stdlib-only train.py seeded from REPRISE_SEED that logs a metric and an output file with the real
 * mlflow client.
 */
final class TrainingProject {
    static final String TRAIN_PY = """
            import os, random
            import mlflow
            seed = os.environ.get("REPRISE_SEED")
            if seed is not None:
                random.seed(int(seed))
            rows = [line.strip().split(",") for line in open("data/train.csv")][1:]
            weights = [random.random() for _ in rows]
            accuracy = round(sum(w * float(r[1]) for w, r in zip(weights, rows)) / sum(weights), 6)
            os.makedirs("out", exist_ok=True)
            with open("out/model.txt", "w") as f:
                f.write("weights=%r\\n" % weights)
            with mlflow.start_run():
                mlflow.log_metric("accuracy", accuracy)
                mlflow.log_artifact("out/model.txt")
            print("accuracy", accuracy)
            """;

    final Path origin;
    final Path author;
    final Path remote;

    private TrainingProject(Path origin, Path author, Path remote) {
        this.origin = origin;
        this.author = author;
        this.remote = remote;
    }

    /** The venv python with the real mlflow client (scripts/python-env.sh mlflow3). */
    static Path python() {
        Path python = Path.of(System.getProperty("user.home"), ".cache/reprise/venv-mlflow3/bin/python");
        assumeThat(python).as("scripts/python-env.sh mlflow3 creates it").isExecutable();
        return python;
    }

    static TrainingProject create(Path dir, RepriseCli cli) throws IOException {
        Path origin = dir.resolve("origin.git");
        Files.createDirectories(origin);
        GitRepo.run(origin, java.util.List.of("git", "init", "-q", "--bare", "-b", "main"));
        Path author = dir.resolve("author");
        Path remote = dir.resolve("dvc-remote");
        GitRepo g = GitRepo.init(Files.createDirectories(author))
                .write("train.py", TRAIN_PY)
                .write(".gitignore", "out/\n")
                .write("data/train.csv", "x,y\n1,0.50\n2,0.90\n3,0.70\n4,0.65\n");
        RepriseCli here = cli.in(author);
        ok(here.run("data", "init"));
        ok(here.run("data", "remote", "add", "-d", "store", remote.toString()));
        ok(here.run("data", "add", "data/train.csv"));
        ok(here.run("data", "push"));
        g.commitAll("training project");
        g.git("remote", "add", "origin", origin.toString());
        g.git("push", "-q", "origin", "main");
        return new TrainingProject(origin, author, remote);
    }

    /** A fresh clone of origin, as a second team member has. */
    Path cloneAs(String name) {
        Path dir = origin.getParent().resolve(name);
        GitRepo.cloneOf(origin.toString(), dir);
        return dir;
    }

    static RepriseCli.Result ok(RepriseCli.Result r) {
        assertThat(r.exitCode()).as(r.all()).isZero();
        return r;
    }
}
