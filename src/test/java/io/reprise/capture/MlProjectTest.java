package io.reprise.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.testing.GitRepo;
import io.reprise.testing.ServerRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MLproject files and parameters, against MLflow's own _project_spec where the venv exists. */
class MlProjectTest {
    @TempDir
    Path dir;

    private static final String MLPROJECT = String.join(
            "\n",
            "name: demo",
            "python_env: python_env.yaml",
            "entry_points:",
            "  main:",
            "    parameters:",
            "      alpha: {type: float, default: 0.10}",
            "      big: {type: float, default: 1.5e+20}",
            "      flag: {type: string, default: yes}",
            "      n: {type: string, default: 0x1F}",
            "      word: {type: string, default: 1e-3}",
            "      data: {type: path, default: data.csv}",
            "      src: {type: uri, default: 's3://bucket/k'}",
            "      name: string",
            "    command: \"python train.py --alpha {alpha} --big {big} --flag {flag} --n {n} --word {word}"
                    + " --data {data} --src {src} --name {name} {{literal}}\"",
            "  other:",
            "    command: \"echo other\"",
            "");

    private Path project() throws Exception {
        Files.writeString(dir.resolve("MLproject"), MLPROJECT);
        Files.writeString(dir.resolve("python_env.yaml"), "python: \"3.11\"\n");
        Files.writeString(dir.resolve("data.csv"), "x\n");
        return dir.toRealPath();
    }

    private ProjectCommand compute(String entry, Map<String, String> params) throws Exception {
        Path d = project();
        MlProject p = MlProject.load(d);
        return ProjectCommand.compute(p.entryPoint(entry, Map.of()), params, d);
    }

    @Test
    void defaultsAreRenderedAsPythonWouldAndValuesAreShellQuoted() throws Exception {
        ProjectCommand c = compute("main", Map.of("name", "it's a \"test\" $HOME"));

        String data = dir.toRealPath().resolve("data.csv").toString();
        assertThat(c.command())
                .isEqualTo("python train.py --alpha 0.1 --big 1.5e+20 --flag True --n 31 --word 1e-3 --data " + data
                        + " --src s3://bucket/k --name 'it'\"'\"'s a \"test\" $HOME' {literal}");
        assertThat(c.parameters())
                .containsEntry("name", "it's a \"test\" $HOME")
                .containsEntry("data", data);
        assertThat(c.logged()).containsEntry("data", "data.csv").containsEntry("alpha", "0.1");
    }

    @Test
    void theProjectAndItsEnvironmentAreRead() throws Exception {
        MlProject p = MlProject.load(project());
        assertThat(p.name()).isEqualTo("demo");
        assertThat(p.file()).isEqualTo("MLproject");
        assertThat(p.entryPoints()).containsOnlyKeys("main", "other");
        assertThat(p.env()).isEqualTo(new ProjectEnv.Python("python_env.yaml"));
    }

    @Test
    void undeclaredParametersAreAppendedQuotedInTheOrderGiven() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("name", "x");
        params.put("zeta", "a b");
        params.put("epochs", "3");
        ProjectCommand c = compute("main", params);
        assertThat(c.command()).endsWith("{literal} --zeta 'a b' --epochs 3");
        assertThat(c.extra()).containsExactly(Map.entry("zeta", "a b"), Map.entry("epochs", "3"));
    }

    @Test
    void badValuesAreOneLineErrorsNamingTheParameter() throws Exception {
        assertThatThrownBy(() -> compute("main", Map.of("name", "x", "alpha", "fast")))
                .isInstanceOf(CaptureException.class)
                .hasMessage("parameter 'alpha' is of type float and needs a number, got 'fast'");
        assertThatThrownBy(() -> compute("main", Map.of("name", "x", "src", "/no/scheme")))
                .hasMessage("parameter 'src' is of type uri and needs a URI, got '/no/scheme'");
        assertThatThrownBy(() -> compute("main", Map.of("name", "x", "data", "nope.csv")))
                .hasMessageContaining("parameter 'data' is the path nope.csv, but no such file or directory");
        assertThatThrownBy(() -> compute("main", Map.of()))
                .hasMessage("no value given for missing parameters: 'name' of entry point 'main'");
        assertThatThrownBy(() -> compute("nope", Map.of()))
                .hasMessageContaining("no entry point 'nope'")
                .extracting(e -> ((CaptureException) e).hint())
                .isEqualTo("entry points: main, other");
    }

    @Test
    void floatsAcceptWhatPythonsFloatAccepts() throws Exception {
        for (String ok : List.of("1", "-2.5", "1e-3", ".5", "1_000.0", "inf", "NaN", " 3 ")) {
            assertThat(compute("main", Map.of("name", "x", "alpha", ok)).parameters())
                    .containsEntry("alpha", ok);
        }
        for (String bad : List.of("", "0x10", "1.2.3", "1f", "one")) {
            assertThatThrownBy(() -> compute("main", Map.of("name", "x", "alpha", bad)))
                    .as(bad)
                    .isInstanceOf(CaptureException.class);
        }
    }

    @Test
    void scriptsRunDirectlyAsMlflowRunsThem() throws Exception {
        MlProject p = MlProject.load(project());
        assertThat(p.entryPoint("my script.py", Map.of()).command()).isEqualTo("python 'my script.py'");
        assertThat(p.entryPoint("go.sh", Map.of("SHELL", "/bin/zsh")).command()).isEqualTo("/bin/zsh go.sh");
        assertThat(p.entryPoint("go.sh", Map.of()).command()).isEqualTo("bash go.sh");
    }

    @Test
    void invalidProjectsAreRefusedWithTheReason() throws Exception {
        Files.writeString(dir.resolve("MLproject"), "python_env: a.yaml\nconda_env: b.yaml\n");
        assertThatThrownBy(() -> MlProject.load(dir))
                .hasMessage("invalid MLproject: it declares several environments (conda_env, python_env)");
        Files.writeString(dir.resolve("MLproject"), "docker_env: {}\n");
        assertThatThrownBy(() -> MlProject.load(dir)).hasMessage("invalid MLproject: docker_env has no image");
        Files.writeString(dir.resolve("MLproject"), "python_env: ../outside.yaml\n");
        Files.writeString(dir.getParent().resolve("outside.yaml"), "python: '3.11'\n");
        assertThatThrownBy(() -> MlProject.load(dir.toRealPath())).hasMessageContaining("lies outside the project");
        Files.writeString(dir.resolve("MLproject"), "entry_points:\n  main:\n    command: \"echo {x}\"\n");
        assertThatThrownBy(() -> compute0("main"))
                .hasMessage("the command of entry point 'main' uses {x}, which is not one of its parameters");
        Files.writeString(dir.resolve("MLproject"), "entry_points: [1, 2\n");
        assertThatThrownBy(() -> MlProject.load(dir)).hasMessageStartingWith("invalid MLproject: it is not valid YAML");
    }

    private ProjectCommand compute0(String entry) throws Exception {
        MlProject p = MlProject.load(dir.toRealPath());
        return ProjectCommand.compute(p.entryPoint(entry, Map.of()), Map.of(), dir);
    }

    @Test
    void pythonFloatReprIsReproduced() {
        assertThat(PyYaml.floatRepr(0.1)).isEqualTo("0.1");
        assertThat(PyYaml.floatRepr(1.0)).isEqualTo("1.0");
        assertThat(PyYaml.floatRepr(1e16)).isEqualTo("1e+16");
        assertThat(PyYaml.floatRepr(1e15)).isEqualTo("1000000000000000.0");
        assertThat(PyYaml.floatRepr(0.0001)).isEqualTo("0.0001");
        assertThat(PyYaml.floatRepr(0.00001)).isEqualTo("1e-05");
        assertThat(PyYaml.floatRepr(-2.5e-7)).isEqualTo("-2.5e-07");
        assertThat(PyYaml.floatRepr(123456.789)).isEqualTo("123456.789");
        assertThat(PyYaml.floatRepr(-0.0)).isEqualTo("-0.0");
    }

    /** The same project and parameters through MLflow's own code: the same command and logged params. */
    @Test
    void commandAndParamsMatchMlflowsOwn() throws Exception {
        Path python = Path.of(System.getProperty("user.home"), ".cache/reprise/venv-mlflow3/bin/python");
        assumeThat(python).as("scripts/python-env.sh mlflow3 creates it").isExecutable();
        Path d = project();
        List<Map<String, String>> cases = List.of(
                Map.of("name", "plain"),
                Map.of("name", "it's \"quoted\" with spaces", "alpha", "2", "extra key", "v w"),
                Map.of("name", "", "data", "data.csv", "src", "file:///tmp/x", "ünï", "cödé"));
        String script = String.join(
                "\n",
                "import json, sys, tempfile",
                "from mlflow.projects import _project_spec",
                "p = _project_spec.load_project(sys.argv[1])",
                "out = []",
                "for user in json.loads(sys.argv[2]):",
                "    ep = p.get_entry_point('main')",
                "    params, extra = ep.compute_parameters(user, None)",
                "    out.append({'command': ep.compute_command(user, tempfile.mkdtemp()),",
                "                'logged': {**params, **extra}})",
                "print(json.dumps(out))");
        String json = GitRepo.run(
                d,
                List.of(python.toString(), "-c", script, d.toString(), new ObjectMapper().writeValueAsString(cases)));
        JsonNode expected = ServerRuns.parse(json.lines().reduce((a, b) -> b).orElseThrow());
        for (int i = 0; i < cases.size(); i++) {
            Map<String, String> user = new LinkedHashMap<>(cases.get(i));
            ProjectCommand c = ProjectCommand.compute(MlProject.load(d).entryPoint("main", Map.of()), user, d);
            assertThat(c.command())
                    .as("case %s", i)
                    .isEqualTo(expected.get(i).path("command").asText());
            Map<String, String> logged = new LinkedHashMap<>();
            expected.get(i)
                    .path("logged")
                    .properties()
                    .forEach(e -> logged.put(e.getKey(), e.getValue().asText()));
            assertThat(c.logged()).as("case %s", i).isEqualTo(logged);
        }
    }
}
