package io.reprise.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.testing.GitRepo;
import io.reprise.testing.RepriseCli;
import io.reprise.testing.ServerRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code reprise run} on MLproject files: parameters, environments, and what the run records. */
class RunProjectTest extends ServerFixture {

    private static final String PRINTING_PROJECT = String.join(
            "\n",
            "name: demo",
            "entry_points:",
            "  main:",
            "    parameters:",
            "      alpha: {type: float, default: 0.50}",
            "      label: string",
            "      data: {type: path, default: data.csv}",
            "    command: \"printf '%s|' {alpha} {label} {data}\"",
            "");

    @Test
    void entryPointRunsWithItsParametersQuotedAndTheRunRecordsThemAsMlflowDoes() throws Exception {
        GitRepo.init(project)
                .write("MLproject", PRINTING_PROJECT)
                .write("data.csv", "x\n")
                .commitAll("init");

        RepriseCli.Result r = reprise().run("run", "-P", "label=it's a \"test\"", "-P", "epochs=3");

        String data = project.toRealPath().resolve("data.csv").toString();
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("0.5|it's a \"test\"|" + data + "|--epochs|3|");
        ServerRuns.RecordedRun run = recorded(r);
        assertThat(run.status()).isEqualTo("FINISHED");
        assertThat(run.params())
                .containsEntry("alpha", "0.5")
                .containsEntry("label", "'it'\"'\"'s a \"test\"'") // shell-quoted, as mlflow run logs it
                .containsEntry("data", "data.csv")
                .containsEntry("epochs", "3");
        assertThat(run.tags())
                .containsEntry("mlflow.source.type", "PROJECT")
                .containsEntry("mlflow.project.entryPoint", "main")
                .containsEntry("mlflow.project.env", "local");
        JsonNode m = run.manifest();
        assertThat(m.path("schema_version").asInt()).isEqualTo(2);
        JsonNode p = m.path("project");
        assertThat(p.path("name").asText()).isEqualTo("demo");
        assertThat(p.path("file").asText()).isEqualTo("MLproject");
        assertThat(p.path("entry_point").asText()).isEqualTo("main");
        assertThat(p.path("command_template").asText()).isEqualTo("printf '%s|' {alpha} {label} {data}");
        assertThat(p.path("parameters").path("label").asText()).isEqualTo("it's a \"test\"");
        assertThat(p.path("parameters").path("data").asText()).isEqualTo(data);
        assertThat(p.path("extra_parameters").path("epochs").asText()).isEqualTo("3");
        assertThat(p.path("environment").path("type").asText()).isEqualTo("none");
        assertThat(p.path("environment").path("created").asBoolean()).isFalse();
        assertThat(m.path("command").path("argv").get(0).asText()).isEqualTo("bash");
    }

    @Test
    void aProjectDirectoryAndAScriptEntryPointRunInTheProject() throws Exception {
        Files.writeString(project.resolve("where.sh"), "pwd\n");
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));

        RepriseCli.Result r = reprise(elsewhere).run("run", "-e", "where.sh", project.toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().strip()).isEqualTo(project.toRealPath().toString());
        assertThat(recorded(r).tags()).containsEntry("mlflow.project.entryPoint", "where.sh");
    }

    @Test
    void badOrMissingParametersStopBeforeAnyRunIsCreated() throws Exception {
        Files.writeString(project.resolve("MLproject"), PRINTING_PROJECT);
        Files.writeString(project.resolve("data.csv"), "x\n");

        RepriseCli.Result badType = reprise().run("run", "-P", "label=x", "-P", "alpha=fast");
        RepriseCli.Result missing = reprise().run("run", "-P", "alpha=1");
        RepriseCli.Result badFormat = reprise().run("run", "-P", "label");

        assertThat(badType.exitCode()).isEqualTo(2);
        assertThat(badType.stderr().strip())
                .isEqualTo("reprise run: parameter 'alpha' is of type float and needs a number, got 'fast'"
                        + " (hint: e.g. -P alpha=0.5)");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("no value given for missing parameters: 'label'");
        assertThat(badFormat.stderr()).contains("invalid format for -P parameter: 'label'", "use -P name=value");
        assertThat(server.post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\":[\"0\"]}")
                        .body())
                .doesNotContain("run_id");
    }

    @Test
    void withoutACommandOrAnMlprojectItSaysWhatItNeeds() {
        RepriseCli.Result r = reprise().run("run", "--seed", "5");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().strip())
                .startsWith("reprise run: no entry point 'main' in")
                .contains("(no MLproject file)", "reprise run -- CMD")
                .doesNotContain("\n");
        assertThat(r.runId()).isNull();
    }

    @Test
    void condaAndDockerEnvironmentsAreRefusedUnlessTheCurrentOneIsAskedFor() throws Exception {
        Files.writeString(
                project.resolve("MLproject"), "conda_env: conda.yaml\nentry_points:\n  main:\n    command: \"true\"\n");
        Files.writeString(project.resolve("conda.yaml"), "dependencies: [python=3.11]\n");
        Path docker = Files.createDirectories(tmp.resolve("docker"));
        Files.writeString(
                docker.resolve("MLproject"),
                "docker_env: {image: python:3.11}\nentry_points:\n  main:\n    command: \"true\"\n");

        RepriseCli.Result conda = reprise().run("run");
        RepriseCli.Result dockerRefused = reprise().run("run", docker.toString());
        RepriseCli.Result local = reprise().run("run", "--env-manager", "local");

        assertThat(conda.exitCode()).isEqualTo(2);
        assertThat(conda.stderr())
                .contains("the MLproject declares conda_env (conda.yaml), which reprise run does not create")
                .contains("hint: pass --env-manager local");
        assertThat(dockerRefused.exitCode()).isEqualTo(2);
        assertThat(dockerRefused.stderr()).contains("docker_env (image python:3.11)");
        assertThat(local.exitCode()).as(local.stderr()).isZero();
        assertThat(local.stderr()).contains("conda_env is not created: running in the current environment");
        JsonNode env = recorded(local).manifest().path("project").path("environment");
        assertThat(env.path("type").asText()).isEqualTo("conda_env");
        assertThat(env.path("file").asText()).isEqualTo("conda.yaml");
        assertThat(env.path("sha256").asText()).hasSize(64);
        assertThat(env.path("manager").asText()).isEqualTo("local");
        assertThat(env.path("created").asBoolean()).isFalse();
        assertThat(recorded(local).tags()).containsEntry("mlflow.project.env", "local");
    }

    @Test
    void pythonEnvIsBuiltWithItsRequirementsOnceAndThenTakenFromTheCache() throws Exception {
        String version = pythonVersion();
        Path cache = tmp.resolve("cache");
        Files.writeString(
                project.resolve("MLproject"),
                String.join(
                        "\n",
                        "python_env: python_env.yaml",
                        "entry_points:",
                        "  main:",
                        "    command: \"python -c 'import six, sys; print(six.__version__, sys.prefix)'\"",
                        ""));
        Files.writeString(
                project.resolve("python_env.yaml"),
                "python: \"" + version + "\"\ndependencies:\n  - -r requirements.txt\n");
        Files.writeString(project.resolve("requirements.txt"), "six==1.16.0\n");

        RepriseCli.Result first =
                reprise().env("REPRISE_CACHE", cache.toString()).run("run");
        RepriseCli.Result second =
                reprise().env("REPRISE_CACHE", cache.toString()).run("run");

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stderr()).contains("reprise: creating a Python " + version + " environment");
        assertThat(first.stdout()).startsWith("1.16.0 " + cache.toRealPath().resolve("envs"));
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stderr()).contains("using the cached Python").doesNotContain("creating");
        assertThat(second.stdout()).isEqualTo(first.stdout());
        ServerRuns.RecordedRun run = recorded(second);
        JsonNode env = run.manifest().path("project").path("environment");
        assertThat(env.path("created").asBoolean()).isTrue();
        assertThat(env.path("cached").asBoolean()).isTrue();
        assertThat(env.path("python").asText()).isEqualTo(version);
        assertThat(env.path("python_requested").asText()).isEqualTo(version);
        assertThat(recorded(first)
                        .manifest()
                        .path("project")
                        .path("environment")
                        .path("cached")
                        .asBoolean())
                .isFalse();
        assertThat(run.tags())
                .containsEntry("mlflow.project.env", "virtualenv")
                .containsEntry("reprise.python.version", version);
        assertThat(run.artifact("reprise/python/pip-freeze.txt")).contains("six==1.16.0");

        // a changed requirement is a different environment
        Files.writeString(project.resolve("requirements.txt"), "six==1.15.0\n");
        RepriseCli.Result third =
                reprise().env("REPRISE_CACHE", cache.toString()).run("run");
        assertThat(third.stdout()).startsWith("1.15.0 ");
    }

    @Test
    void aFailedEnvironmentBuildLeavesNothingBehindAndCreatesNoRun() throws Exception {
        Path cache = tmp.resolve("cache");
        Files.writeString(project.resolve("MLproject"), "entry_points:\n  main:\n    command: \"true\"\n");
        Files.writeString(
                project.resolve("python_env.yaml"),
                "python: \"" + pythonVersion() + "\"\ndependencies: [reprise-no-such-package-zzq==0.0.1]\n");

        RepriseCli.Result r = reprise().env("REPRISE_CACHE", cache.toString()).run("run");

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(4);
        assertThat(r.stderr())
                .contains("reprise run: cannot create the project's Python environment: pip install failed");
        assertThat(r.runId()).isNull();
        try (Stream<Path> left = Files.list(cache.resolve("envs"))) {
            assertThat(left.map(p -> p.getFileName().toString())).allMatch(n -> n.endsWith(".lock"));
        }

        Files.writeString(project.resolve("python_env.yaml"), "python: \"2.5\"\n");
        RepriseCli.Result old = reprise().env("REPRISE_CACHE", cache.toString()).run("run");
        assertThat(old.exitCode()).isEqualTo(4);
        assertThat(old.stderr())
                .contains("python_env.yaml asks for Python 2.5, which was not found", "hint: install Python 2.5");
    }

    /** The version of python3 on the PATH the tests give reprise. */
    private String pythonVersion() {
        RepriseCli.Result r = new RepriseCli(project, home)
                .run(
                        "run",
                        "--tracking-uri",
                        server.url(),
                        "--",
                        "python3",
                        "-c",
                        "import platform; print(platform.python_version())");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().strip();
    }
}
