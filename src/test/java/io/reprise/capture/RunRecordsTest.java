package io.reprise.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.testing.GitRepo;
import io.reprise.testing.RepriseCli;
import io.reprise.testing.ServerRuns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a run records besides git: environment, seeds, configs, dependencies, data, machine. */
class RunRecordsTest extends ServerFixture {

    @Test
    void secretsInTheEnvironmentNeverReachTheServerButTheCommandStillSeesThem() throws Exception {
        GitRepo.init(project).write("a.txt", "x\n").commitAll("init");
        String aws = "AKIA-" + UUID.randomUUID();
        String password = "pw-" + UUID.randomUUID();
        String token = "ghp_" + UUID.randomUUID();
        RepriseCli.Result r = reprise()
                .env("AWS_SECRET_ACCESS_KEY", aws)
                .env("MLFLOW_TRACKING_PASSWORD", password)
                .env("MLFLOW_TRACKING_USERNAME", "alice")
                .env("GITHUB_TOKEN", token)
                .env("OMP_NUM_THREADS", "3")
                .run("run", "--", "sh", "-c", "test -n \"$AWS_SECRET_ACCESS_KEY\" && test -n \"$GITHUB_TOKEN\"");

        assertThat(r.exitCode()).as("the command saw its secrets").isZero();
        ServerRuns.RecordedRun run = recorded(r);
        assertThat(run.tags())
                .containsEntry("reprise.env.OMP_NUM_THREADS", "3")
                .containsEntry("mlflow.user", "alice")
                .doesNotContainKeys("reprise.env.AWS_SECRET_ACCESS_KEY", "reprise.env.GITHUB_TOKEN");
        assertThat(run.manifest().path("environment").toString()).contains("OMP_NUM_THREADS");
        for (Path stored : filesUnder(server.dir())) {
            String bytes = new String(Files.readAllBytes(stored), StandardCharsets.ISO_8859_1);
            assertThat(bytes).as(stored.toString()).doesNotContain(aws, password, token);
        }
    }

    @Test
    void mlflowClientInsideTheCommandLogsIntoTheSameRun() throws Exception {
        Path python = Path.of(System.getProperty("user.home"), ".cache/reprise/venv-mlflow3/bin/python");
        assumeThat(python).as("scripts/python-env.sh mlflow3 creates it").isExecutable();
        GitRepo.init(project)
                .write(
                        "train.py",
                        String.join(
                                "\n",
                                "import mlflow",
                                "with mlflow.start_run() as run:",
                                "    mlflow.log_param('lr', 0.1)",
                                "    mlflow.log_metric('accuracy', 0.93)",
                                "    print('run', run.info.run_id)",
                                ""))
                .commitAll("init");

        RepriseCli.Result r = reprise().run("run", "--experiment", "mnist", "--", python.toString(), "train.py");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).startsWith("run " + r.runId() + "\n");
        ServerRuns.RecordedRun run = recorded(r);
        assertThat(run.metrics()).containsEntry("accuracy", 0.93);
        assertThat(run.params()).containsEntry("lr", "0.1");
        assertThat(run.status()).isEqualTo("FINISHED");
        assertThat(run.tags()).containsEntry("mlflow.source.name", "train.py").containsKey("reprise.python.version");
        assertThat(run.artifact("reprise/python/pip-freeze.txt")).containsPattern("(?m)^mlflow==3\\.");
        String search = server.post(
                        "/api/2.0/mlflow/runs/search", "{\"experiment_ids\":[\"" + run.experimentId() + "\"]}")
                .body();
        assertThat(ServerRuns.parse(search).path("runs")).as("one run, not two").hasSize(1);
    }

    @Test
    void seedIsExportedAndLoggedAndConfigIsLoggedWithItsSha256() throws Exception {
        GitRepo.init(project).write("conf/params.yaml", "lr: 0.1\nepochs: 3\n").commitAll("init");

        RepriseCli.Result r = reprise()
                .run(
                        "run",
                        "--seed",
                        "42",
                        "--config",
                        "conf/params.yaml",
                        "--",
                        "sh",
                        "-c",
                        "echo $PYTHONHASHSEED $REPRISE_SEED > seen.txt");

        assertThat(project.resolve("seen.txt")).hasContent("42 42");
        ServerRuns.RecordedRun run = recorded(r);
        String sha = sha256(project.resolve("conf/params.yaml"));
        assertThat(run.params()).containsEntry("seed", "42").containsEntry("config", "conf/params.yaml");
        assertThat(run.tags())
                .containsEntry("reprise.config.sha256", sha)
                .containsEntry("reprise.env.PYTHONHASHSEED", "42");
        assertThat(run.artifact("reprise/config/conf/params.yaml")).isEqualTo("lr: 0.1\nepochs: 3\n");
        JsonNode config = run.manifest().path("configs").get(0);
        assertThat(config.path("sha256").asText()).isEqualTo(sha);
        assertThat(run.manifest().path("command").path("seed").asLong()).isEqualTo(42);
    }

    @Test
    void dvcOutputsBecomeDatasetInputsReadFromMetadataOnly() {
        GitRepo.init(project)
                .write(
                        "data/raw.dvc",
                        "outs:\n- md5: 0123456789abcdef0123456789abcdef.dir\n  size: 2048\n  nfiles: 2\n"
                                + "  hash: md5\n  path: raw\n")
                .write(
                        "dvc.lock",
                        "schema: '2.0'\nstages:\n  prepare:\n    cmd: python prep.py\n    outs:\n"
                                + "    - path: data/prepared.csv\n      hash: md5\n"
                                + "      md5: fedcba9876543210fedcba9876543210\n      size: 10\n")
                .commitAll("data"); // the data itself is absent: nothing may need to hash it

        // run from a subdirectory: the repository's data counts, wherever its .dvc files are
        ServerRuns.RecordedRun run = recorded(reprise(project.resolve("data")).run("run", "--", "true"));

        List<String> inputs = run.inputs().findValuesAsText("name");
        assertThat(inputs).containsExactlyInAnyOrder("data/raw", "data/prepared.csv");
        JsonNode raw = Stream.of(run.inputs().get(0), run.inputs().get(1))
                .map(i -> i.path("dataset"))
                .filter(d -> d.path("name").asText().equals("data/raw"))
                .findFirst()
                .orElseThrow();
        assertThat(raw.path("digest").asText()).isEqualTo("0123456789abcdef0123456789abcdef.dir");
        assertThat(raw.path("source_type").asText()).isEqualTo("dvc");
        assertThat(raw.path("source").asText()).isEqualTo("data/raw.dvc");
        assertThat(run.tags().get("reprise.data_version"))
                .contains("2 DVC outputs", "data/raw 01234567", "data/prepared.csv fedcba98");
    }

    @Test
    void dependencyFilesAreHashedWithAPinningVerdict() throws Exception {
        GitRepo.init(project)
                .write("requirements.txt", "numpy==1.26.4\npandas>=2\n")
                .write("src/uv.lock", "version = 1\n")
                .write("src/pyproject.toml", "[project]\nname = 'x'\n")
                .write("other/poetry.lock", "not next to the command\n")
                .commitAll("init");

        ServerRuns.RecordedRun run = recorded(reprise(project.resolve("src")).run("run", "--", "true"));

        assertThat(run.tags()).containsEntry("reprise.deps.pinning", "locked");
        JsonNode deps = run.manifest().path("dependencies");
        assertThat(deps.findValuesAsText("path"))
                .containsExactlyInAnyOrder("src/uv.lock", "src/pyproject.toml", "requirements.txt");
        for (JsonNode d : deps) {
            String path = d.path("path").asText();
            assertThat(d.path("sha256").asText()).isEqualTo(sha256(project.resolve(path)));
            switch (path) {
                case "requirements.txt" -> assertThat(d.path("detail").asText()).contains("pandas");
                case "src/pyproject.toml" ->
                    assertThat(d.path("detail").asText()).contains("uv.lock");
                default -> assertThat(d.path("pinning").asText()).isEqualTo("locked");
            }
        }
        assertThat(run.artifact("reprise/deps/requirements.txt")).isEqualTo("numpy==1.26.4\npandas>=2\n");
    }

    @Test
    void withoutDependencyFilesNothingIsClaimed() {
        GitRepo.init(project).write("a.txt", "x\n").commitAll("init");

        ServerRuns.RecordedRun run = recorded(reprise().run("run", "--", "true"));

        assertThat(run.tags()).doesNotContainKeys("reprise.deps.pinning", "reprise.deps.files");
        assertThat(run.manifest().path("dependencies")).isEmpty();
    }

    @Test
    void machineIsDescribedAndGpusComeFromNvidiaSmi() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path smi = Files.writeString(
                bin.resolve("nvidia-smi"), "#!/bin/sh\necho 'NVIDIA A100-SXM4-40GB, 40960 MiB, 535.104.05'\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));

        ServerRuns.RecordedRun run = recorded(
                reprise().env("PATH", bin + ":" + System.getenv("PATH")).run("run", "--", "true"));

        assertThat(run.tags())
                .containsEntry("reprise.gpu", "NVIDIA A100-SXM4-40GB, 40960 MiB, 535.104.05")
                .containsEntry(
                        "reprise.cores", String.valueOf(Runtime.getRuntime().availableProcessors()))
                .containsEntry("reprise.kernel", System.getProperty("os.version"))
                .containsKeys("reprise.os", "reprise.memory_gb");
        JsonNode manifest = run.manifest();
        assertThat(manifest.path("schema_version").asInt()).isEqualTo(2);
        assertThat(manifest.path("system").path("gpus").get(0).asText()).startsWith("NVIDIA A100");
        assertThat(manifest.path("artifacts").toString()).contains("reprise/output.log", "reprise/manifest.json");
    }

    private static List<Path> filesUnder(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
