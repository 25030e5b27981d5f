package io.reprise.audit;

import static io.reprise.audit.Reports.findings;
import static io.reprise.audit.Reports.reprise;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.testing.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repositories with known flaws, each giving the expected findings and score. */
class AuditFixturesTest {
    @TempDir
    Path dir;

    static final String NAIVE_TRAIN = """
            import numpy as np
            import mlflow
            from sklearn.ensemble import RandomForestClassifier
            from sklearn.model_selection import train_test_split
            import random  # random.seed(0) in a comment does not count

            s = "random.seed(1) in a string does not count either"
            mlflow.set_tracking_uri("http://10.0.0.5:5000")

            def main():
                X = np.random.rand(100, 3)
                y = np.random.randint(0, 2, 100)
                Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2)
                clf = RandomForestClassifier(n_estimators=100, max_depth=5)
                clf.fit(Xtr, ytr)
                with mlflow.start_run():
                    mlflow.log_param("n_estimators", 100)
                    mlflow.log_metric("acc", clf.score(Xte, yte))
            """;

    /** A notebook-style project: everything in one script, nothing pinned, nothing tracked. */
    static Map<String, String> naive() {
        return Map.of(
                "src/train.py", NAIVE_TRAIN,
                "requirements.txt", "numpy>=1.2\nscikit-learn\nmlflow\n",
                "README.md", "# churn model\n");
    }

    /** A git repository in {@code dir} with {@code files} committed. */
    private GitRepo fixture(Map<String, String> files) {
        return GitRepo.init(dir).write(files).commitAll("fixture");
    }

    @Test
    void naiveProjectScoresLowWithEachFlawAtItsLine() {
        fixture(naive());
        Reports.Result r = reprise("audit", dir.toString(), "--format", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = r.json();
        assertThat(findings(report))
                .contains(
                        "env.lock requirements.txt:1",
                        "seed.numpy src/train.py:11",
                        "config.hardcoded-hyperparameter src/train.py:14",
                        "tracking.uri-from-environment src/train.py:8",
                        "seed.sklearn-random-state src/train.py:13",
                        "seed.sklearn-random-state src/train.py:14",
                        // the comment and the string mention random.seed(; neither seeds anything
                        "seed.random src/train.py:5",
                        "data.versioned .",
                        "ci.present .",
                        "doc.setup README.md:1");
        assertThat(findings(report))
                .filteredOn(f -> f.startsWith("config.hardcoded"))
                .hasSize(2);
        assertThat(findings(report)).noneMatch(f -> f.startsWith("tracking.logging"));
        // environment: unpinned only = 0.25 of 6 points of 10; config 0; randomness 0; tracking 5/12;
        // data 3/10 (nothing large); automation 0; documentation 2/10:
        // (20*.15 + 15*5/12 + 10*.3 + 10*.2) / 100 = 14.25
        assertThat(report.path("score").asInt()).isEqualTo(14);
        assertThat(Reports.categoryScore(report, "environment")).isCloseTo(0.15, within(0.001));
        assertThat(Reports.categoryScore(report, "tracking")).isCloseTo(0.417, within(0.001));
        assertThat(report.path("level").asInt()).isZero();
        assertThat(report.path("level_name").asText()).isEqualTo("Chaos");
        assertThat(report.path("level_reasons").get(0).asText()).startsWith("held back by");
        // biggest gain first
        assertThat(report.path("findings").get(0).path("rule").asText()).isEqualTo("env.lock");
        double previous = Double.MAX_VALUE;
        for (JsonNode f : report.path("findings")) {
            assertThat(f.path("gain").asDouble()).isLessThanOrEqualTo(previous);
            previous = f.path("gain").asDouble();
        }
    }

    @Test
    void subtleFlawsAreFoundWhereTheyAre() throws Exception {
        GitRepo repo = GitRepo.init(dir)
                .write(Map.of(
                        "pyproject.toml", """
                        [project]
                        name = "subtle"
                        requires-python = ">=3.9"
                        dependencies = [
                            "numpy==1.26.4",
                            "scikit-learn==1.5.0",  # not in uv.lock
                            "torch==2.3.0",
                        ]
                        """,
                        "uv.lock", """
                        version = 1

                        [[package]]
                        name = "numpy"
                        version = "1.26.4"

                        [[package]]
                        name = "torch"
                        version = "2.3.0"
                        """,
                        "Dockerfile", """
                        FROM python:3.11-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS base
                        FROM python:3.11 AS build
                        FROM base
                        """,
                        "src/subtle/train.py", """
                        import os
                        import time
                        import random
                        import numpy as np
                        import torch
                        import tensorflow as tf
                        from sklearn.model_selection import KFold

                        os.environ["PYTHONHASHSEED"] = "0"
                        torch.backends.cudnn.benchmark = True
                        random.seed(time.time())
                        torch.manual_seed(0)
                        tf.random.set_seed(0)
                        rng = np.random.default_rng()
                        folds = KFold(n_splits=5)
                        shuffled = KFold(n_splits=5, shuffle=True)
                        cfg = load("confs/train.yaml")
                        model = build(lr=cfg["lr"], epochs=cfg["epochs"])
                        """,
                        "src/subtle/broken.py", "x = 'unterminated\n",
                        "confs/train.yaml", "lr: 0.1\nepochs: 3\n",
                        "confs/old.yaml", "lr: 0.2\n",
                        "README.md", "# subtle\n\n## Setup\n\nuv sync\n\n## Usage\n\nrun it\n\n## Results\n\nacc 0.9\n",
                        ".github/pull_request_template.md", "## Runs\n\n## Config\n\n## Results\n",
                        ".github/workflows/ci.yml", """
                        on: push
                        jobs:
                          test:
                            runs-on: ubuntu-latest
                            env:
                              MLFLOW_TRACKING_URI: http://reprise.internal:5000
                            steps:
                              - run: python -m pytest
                        """));
        Files.write(dir.resolve("data-big.csv"), new byte[2 * 1024 * 1024]);
        repo.commitAll("subtle flaws");

        Reports.Result r = reprise("audit", dir.toString(), "--format", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = r.json();
        assertThat(findings(report))
                .containsExactlyInAnyOrder(
                        "env.lock-consistent pyproject.toml:6",
                        "env.python-version pyproject.toml:3",
                        "env.docker-digest Dockerfile:2",
                        "config.loaded confs/old.yaml",
                        "seed.random src/subtle/train.py:11",
                        "seed.numpy src/subtle/train.py:14",
                        "seed.torch-determinism src/subtle/train.py:10",
                        "seed.torch-determinism src/subtle/train.py:5",
                        "seed.sklearn-random-state src/subtle/train.py:16",
                        "seed.pythonhashseed src/subtle/train.py:9",
                        "tracking.logging .",
                        "tracking.launch .",
                        "data.versioned .",
                        "data.remote .",
                        "data.large-files-in-git data-big.csv",
                        "ci.reprise-gates .github/workflows/ci.yml",
                        "pr.template .github/pull_request_template.md:1");
        assertThat(report.path("warnings").get(0).asText())
                .isEqualTo("src/subtle/broken.py:1: not analysed, it does not parse (unterminated string literal)");
        JsonNode random = report.path("findings").findParents("rule").stream()
                .filter(f -> f.path("rule").asText().equals("seed.random"))
                .findFirst()
                .orElseThrow();
        assertThat(random.path("message").asText()).contains("takes the seed from the clock");
        // the PR template misses two of five sections: 3/5 of its points
        assertThat(Reports.categoryScore(report, "automation")).isCloseTo((3 + 4 + 0 + 4 * 0.6) / 15, within(0.001));
        assertThat(Reports.categoryScore(report, "documentation")).isEqualTo(1.0);
    }

    @Test
    void aFileThatDoesNotParseIsAWarningAndTheAuditGoesOn() {
        fixture(Map.of(
                "bad.py", "def f(:\n    return \"unterminated\n",
                "good.py", "import random\nrandom.seed(0)\n",
                "README.md", "# x\n"));
        Reports.Result r = reprise("audit", dir.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("warnings:")
                .contains("bad.py:2: not analysed, it does not parse (unterminated string literal)")
                .contains("score ");
        assertThat(r.out()).doesNotContain("seed.random");
    }

    @Test
    void testsMayHardCodeValuesAndUseTheirOwnRandomness() {
        fixture(Map.of(
                "tests/test_model.py", """
                        from sklearn.ensemble import RandomForestClassifier
                        import numpy as np
                        def test_fit():
                            RandomForestClassifier(n_estimators=3).fit(np.random.rand(4, 2), [0, 1, 0, 1])
                        """,
                "README.md", "# x\n"));
        JsonNode report = reprise("audit", dir.toString(), "--format", "json").json();
        assertThat(findings(report)).noneMatch(f -> f.startsWith("config.hardcoded") || f.startsWith("seed."));
    }

    @Test
    void codeWithoutRandomnessIsNotJudgedOnSeeds() {
        fixture(Map.of(
                "stats.py", "import numpy as np\nprint(np.mean(np.array([1, 2, 3])))\n",
                "README.md", "# x\n"));
        JsonNode report = reprise("audit", dir.toString(), "--format", "json").json();
        assertThat(findings(report)).noneMatch(f -> f.startsWith("seed."));
        for (JsonNode c : report.path("categories")) {
            if (c.path("id").asText().equals("randomness")) {
                assertThat(c.path("applicable").asBoolean()).isFalse();
                assertThat(c.path("score").isNull()).isTrue();
            }
        }
    }
}
