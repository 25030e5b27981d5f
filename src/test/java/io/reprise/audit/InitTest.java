package io.reprise.audit;

import static io.reprise.audit.Reports.reprise;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.check.PrTemplate;
import io.reprise.data.DataRepo;
import io.reprise.testing.GitRepo;
import io.reprise.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new project from reprise init: it audits at 100, its training runs and repeats itself, it is committed. */
class InitTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aNewProjectAuditsAtExactly100() {
        Path project = dir.resolve("churn-model");
        Reports.Result init = reprise("init", project.toString(), "--tracking-uri", "http://reprise.internal:5000");
        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(init.out())
                .startsWith("Created project 'churn-model' in " + project)
                .contains("first commit ")
                .contains("make setup && make test");

        Reports.Result audit = reprise("audit", project.toString(), "--format", "json", "--fail-under", "100");
        assertThat(audit.exitCode()).as(audit.err()).isZero();
        JsonNode report = audit.json();
        assertThat(Reports.findings(report)).isEmpty();
        assertThat(report.path("score").asInt()).isEqualTo(100);
        assertThat(report.path("warnings")).isEmpty();
        List<String> applicable = new ArrayList<>();
        for (JsonNode c : report.path("categories")) {
            if (!c.path("id").asText().equals("team")) {
                assertThat(c.path("score").asDouble()).as(c.path("id").asText()).isEqualTo(1.0);
            }
            c.path("rules").forEach(rule -> {
                if (rule.path("applicable").asBoolean()) {
                    applicable.add(rule.path("id").asText());
                }
            });
        }
        // 100 is earned, not skipped: only the rules about things the project has none of (Docker,
        // numpy, torch, tensorflow, scikit-learn, declared dependencies) do not apply
        assertThat(applicable)
                .containsExactlyInAnyOrder(
                        "env.lock",
                        "env.python-version",
                        "env.setup-command",
                        "config.files",
                        "config.loaded",
                        "config.hardcoded-hyperparameter",
                        "seed.random",
                        "seed.pythonhashseed",
                        "tracking.logging",
                        "tracking.launch",
                        "tracking.uri-from-environment",
                        "tracking.team-server",
                        "data.versioned",
                        "data.remote",
                        "data.large-files-in-git",
                        "ci.present",
                        "ci.tests",
                        "ci.reprise-gates",
                        "pr.template",
                        "doc.readme",
                        "doc.setup",
                        "doc.reproduce",
                        "doc.results");
        // without a server the level stops at 2 (Standard), and says why
        assertThat(report.path("level").asInt()).isEqualTo(2);
        assertThat(report.path("next_level").get(0).asText()).contains("--tracking-uri");
    }

    @Test
    void theProjectIsCommittedCleanWithItsDataTracked() throws Exception {
        Path project = dir.resolve("p1");
        assertThat(reprise("init", project.toString()).exitCode()).isZero();
        assertThat(GitRepo.open(project).git("status", "--porcelain")).isEmpty();
        assertThat(GitRepo.open(project).git("log", "--oneline").lines()).hasSize(1);
        assertThat(GitRepo.open(project).git("branch", "--show-current").strip())
                .isEqualTo("main");
        List<String> tracked = GitRepo.open(project).git("ls-files").lines().toList();
        assertThat(tracked)
                .contains(
                        "p1/train.py",
                        "p1/config.py",
                        "confs/train.yaml",
                        "MLproject",
                        "requirements.txt",
                        ".python-version",
                        "data/train.csv.dvc",
                        ".dvc/config",
                        ".github/workflows/ci.yml",
                        ".gitlab-ci.yml",
                        ".github/pull_request_template.md",
                        ".reprise/config.toml",
                        "tests/test_train.py")
                .doesNotContain("data/train.csv"); // the data is in the DVC cache, not in git
        try (DataRepo data = DataRepo.open(project, 1)) {
            assertThat(data.status(List.of())).isEmpty();
            assertThat(data.defaultRemote()).isEqualTo("storage");
            // a folder on this machine, outside the project: push works at once
            assertThat(data.remoteUrls()).containsEntry("storage", ProjectInit.localRemote("p1", System.getenv()));
            assertThat(ProjectInit.localRemote("p1", Map.of("HOME", "/home/ada")))
                    .isEqualTo("/home/ada/.local/share/reprise/remotes/p1");
            assertThat(ProjectInit.localRemote("p1", Map.of("HOME", "/home/ada", "XDG_DATA_HOME", "/data")))
                    .isEqualTo("/data/reprise/remotes/p1");
        }
        assertThat(PrTemplate.missingSections(Files.readString(project.resolve(".github/pull_request_template.md"))))
                .isEmpty();
        // one source: the build copies the repository's template into the init template (pom.xml)
        String repositoryTemplate = Files.readString(Path.of("templates/pull_request_template.md"));
        assertThat(Files.readString(project.resolve(".github/pull_request_template.md")))
                .isEqualTo(repositoryTemplate);
        assertThat(Files.readString(project.resolve(".gitlab/merge_request_templates/Default.md")))
                .isEqualTo(repositoryTemplate);
        assertThat(Files.readString(project.resolve(".reprise/config.toml")))
                .contains("tracking_uri = \"http://127.0.0.1:5000\"")
                .contains("experiment = \"p1\"");
        assertThat(Files.readString(project.resolve(".python-version")).strip()).isEqualTo("3.12");
    }

    @Test
    void theTrainingEntryPointRunsAndGivesTheSameMetricsTwice() throws Exception {
        Path project = dir.resolve("twice");
        assertThat(reprise("init", project.toString()).exitCode()).isZero();
        String first = run(project, Map.of(), "python3", "-m", "twice.train", "--config", "confs/train.yaml");
        String second = run(project, Map.of(), "python3", "-m", "twice.train", "--config", "confs/train.yaml");
        JsonNode metrics = JSON.readTree(first);
        assertThat(metrics.path("accuracy").asDouble()).isBetween(0.7, 1.0);
        assertThat(second).isEqualTo(first);
        assertThat(JSON.readTree(project.resolve("outputs/metrics.json").toFile()))
                .isEqualTo(metrics);
        assertThat(run(project, Map.of(), "python3", "-m", "unittest", "discover", "-s", "tests"))
                .isEmpty();
        // what the run writes is ignored by git: the tree stays clean for the next recorded run
        assertThat(GitRepo.open(project).git("status", "--porcelain")).isEmpty();
    }

    @Test
    void theTrainingLogsToATrackingServerWithTheRealMlflowClient() throws Exception {
        Path python = Path.of(System.getProperty("user.home"), ".cache/reprise/venv-mlflow3/bin/python");
        assumeThat(python).as("scripts/python-env.sh mlflow3 creates it").isExecutable();
        Path project = dir.resolve("logged");
        assertThat(reprise("init", project.toString()).exitCode()).isZero();
        try (TestServer server = TestServer.start(Files.createDirectory(dir.resolve("server")))) {
            run(project, Map.of("MLFLOW_TRACKING_URI", server.url()), python.toString(), "-m", "logged.train");
            TestServer.Response runs =
                    server.post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\": [\"0\"], \"max_results\": 10}");
            JsonNode run = JSON.readTree(runs.body()).path("runs").get(0);
            assertThat(run.path("info").path("status").asText()).isEqualTo("FINISHED");
            assertThat(run.path("data").path("params").toString()).contains("\"key\":\"seed\",\"value\":\"42\"");
            assertThat(run.path("data").path("metrics").findValuesAsText("key")).contains("accuracy", "log_loss");
        }
    }

    @Test
    void aNonEmptyFolderIsRefusedAndLeftAlone() throws Exception {
        Path existing = Files.createDirectory(dir.resolve("existing"));
        Files.writeString(existing.resolve("notes.txt"), "mine");
        Reports.Result r = reprise("init", existing.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err())
                .isEqualTo("reprise init: " + existing + " is not empty: reprise init only creates new projects\n"
                        + "Hint: pass a new folder's path (it is created) or an empty folder\n");
        try (var files = Files.list(existing)) {
            assertThat(files.toList()).containsExactly(existing.resolve("notes.txt"));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .as("no temporary folder is left behind")
                    .containsExactly("existing");
        }
    }

    @Test
    void anEmptyFolderIsFilledAndBadOptionsAreOneLine() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThat(reprise("init", empty.toString(), "--name", "demo").exitCode())
                .isZero();
        assertThat(empty.resolve("demo/train.py")).exists();
        assertThat(GitRepo.open(empty).git("status", "--porcelain")).isEmpty();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("empty");
        }

        Reports.Result badName = reprise("init", dir.resolve("x").toString(), "--name", "no spaces");
        assertThat(badName.exitCode()).isEqualTo(2);
        assertThat(badName.err()).startsWith("reprise init: 'no spaces' cannot be a project name\nHint: ");
        Reports.Result badPython = reprise("init", dir.resolve("y").toString(), "--python", "3");
        assertThat(badPython.err()).startsWith("reprise init: --python must be a minor version such as 3.12");
        Reports.Result badTemplate = reprise("init", dir.resolve("z").toString(), "--template", "rust");
        assertThat(badTemplate.err()).startsWith("reprise init: no template 'rust'");
        Reports.Result badUri = reprise("init", dir.resolve("w").toString(), "--tracking-uri", "localhost:5000");
        assertThat(badUri.exitCode()).isEqualTo(2);
        assertThat(badUri.err()).startsWith("reprise init: --tracking-uri must be http(s)://HOST:PORT");
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(reprise("init", "--help").out()).startsWith("Usage: reprise init");
    }

    /** Runs a command in {@code cwd}; fails the test on a non-zero exit; returns stdout. */
    private static String run(Path cwd, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(cwd.toFile());
        pb.environment().putAll(env);
        pb.environment().put("PYTHONHASHSEED", "0");
        pb.redirectError(cwd.resolve("../stderr-" + cwd.getFileName() + ".txt").toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(
                        "%s: %s",
                        List.of(command), Files.readString(cwd.resolve("../stderr-" + cwd.getFileName() + ".txt")))
                .isZero();
        return out;
    }
}
