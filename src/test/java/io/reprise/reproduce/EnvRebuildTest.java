package io.reprise.reproduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.testing.GitRepo;
import io.reprise.testing.RepriseCli;
import io.reprise.testing.ServerRuns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A plain command whose requirements.txt pins six 1.16.0, recorded in a venv that has it, reproduced
 * where the interpreter on PATH has another six: the environment is rebuilt from the pinned file
 * (pip from PyPI) and the recorded version comes back; --no-env-rebuild keeps the current one and
 * the run diverges, naming the package. Also two reproductions of the run at once, each recorded.
 */
class EnvRebuildTest extends EndToEnd {
    private static final String PINNED = "1.16.0";
    private static final String SHOW_PY = """
            import json, os, urllib.request
            import six
            print("six", six.__version__)
            body = json.dumps({"run_id": os.environ["MLFLOW_RUN_ID"], "key": "six_minor",
                               "value": int(six.__version__.split(".")[1]), "timestamp": 0, "step": 0}).encode()
            urllib.request.urlopen(urllib.request.Request(
                os.environ["MLFLOW_TRACKING_URI"] + "/api/2.0/mlflow/runs/log-metric", body,
                {"Content-Type": "application/json"}))
            """;

    Path repo;
    String original;
    String current;

    @BeforeAll
    void recordWithThePinnedVersion() throws IOException {
        current = GitRepo.run(tmp, List.of("python3", "-c", "import six; print(six.__version__)"))
                .strip();
        assumeThat(current)
                .as("python3 on PATH has another six than the pinned one")
                .isNotEqualTo(PINNED);
        Path venv = tmp.resolve("venv-pinned");
        GitRepo.run(tmp, List.of("python3", "-m", "venv", venv.toString()));
        GitRepo.run(tmp, List.of(venv.resolve("bin/pip").toString(), "install", "-q", "six==" + PINNED));
        repo = tmp.resolve("pins");
        GitRepo.init(java.nio.file.Files.createDirectories(repo))
                .write("show.py", SHOW_PY)
                .write("requirements.txt", "six==" + PINNED + "\n")
                .commitAll("pinned six");
        RepriseCli inVenv = cli.in(repo).env("PATH", venv.resolve("bin") + ":" + System.getenv("PATH"));
        original = TrainingProject.ok(inVenv.run("run", "--experiment", "pins", "--", "python3", "show.py"))
                .runId();
        assertThat(packages(original)).contains("six==" + PINNED);
    }

    @Test
    void theRecordedPackagesComeBackFromThePinnedRequirements() throws IOException {
        RepriseCli.Result r = cli.in(repo).run("reproduce", original);

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout().strip()).endsWith("REPRODUCED");
        assertThat(r.stderr())
                .containsPattern("environment: the current interpreter \\S+ differs from the record: .*six "
                        + PINNED.replace(".", "\\.") + " -> " + current.replace(".", "\\."))
                .contains("environment: rebuilding it from requirements.txt (pip install -r on Python")
                .containsPattern("environment: running in (a new|the cached) environment \\S+ \\(Python [0-9.]+,"
                        + " built from requirements.txt\\)"); // another test may have built it first
        String reproduction = ServerRuns.get(server, original).tags().get("reprise.reproduction.run_id");
        assertThat(packages(reproduction)).contains("six==" + PINNED);
        assertThat(ServerRuns.get(server, reproduction).metrics()).containsEntry("six_minor", 16.0);

        RepriseCli.Result again = cli.in(repo).run("reproduce", original);
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.stderr()).contains("environment: running in the cached environment");
        assertThat(cli.leftInTmp()).as("the checkouts are removed").isEmpty();
    }

    @Test
    void withoutRebuildTheCurrentEnvironmentRunsAndThePackageIsNamed() {
        RepriseCli.Result r = cli.in(repo).run("reproduce", "--no-env-rebuild", original);

        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stderr()).contains("not rebuilt (--no-env-rebuild): running in the current environment");
        assertThat(r.stdout())
                .contains("six " + PINNED + " -> " + current)
                .contains("DIVERGED: metrics differ: six_minor");
    }

    @Test
    void twoReproductionsAtOnceAreBothRecordedWithTheirOwnNumber() throws Exception {
        int before = Verdicts.count(ServerRuns.get(server, original).tags());
        Process a = cli.in(repo).start("reproduce", original);
        Process b = cli.in(repo).start("reproduce", original);
        RepriseCli.Result ra = RepriseCli.finish(a);
        RepriseCli.Result rb = RepriseCli.finish(b);

        assertThat(ra.exitCode()).as(ra.all()).isZero();
        assertThat(rb.exitCode()).as(rb.all()).isZero();
        Map<String, String> tags = ServerRuns.get(server, original).tags();
        assertThat(tags).containsEntry("reprise.reproduction.count", String.valueOf(before + 2));
        Set<String> runs = new HashSet<>();
        for (int n = before + 1; n <= before + 2; n++) {
            runs.add(ServerRuns.parse(tags.get("reprise.reproduction." + n))
                    .path("run_id")
                    .asText());
        }
        assertThat(runs).hasSize(2);
        assertThat(tags.get("reprise.reproduction.run_id")).isIn(runs);
    }

    private List<String> packages(String runId) {
        JsonNode manifest = ServerRuns.get(server, runId).manifest();
        List<String> out = new ArrayList<>();
        manifest.path("python").path("packages").forEach(p -> out.add(p.asText()));
        return out;
    }
}
