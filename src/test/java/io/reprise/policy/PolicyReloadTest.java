package io.reprise.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reprise.testing.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reprise server --policy FILE} as a user runs it: startup checks, and reloading on change. */
class PolicyReloadTest {
    private static final String WARN_ALL = "rules:\n  - experiments: '*'\n    mode: warn\n";

    @TempDir
    Path dir;

    @Test
    void aBrokenPolicyFailsStartupWithTheLineAndReasonNotAStackTrace() throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), "rules:\n  - experiments: '*'\n    mode: block\n");
        assertThatThrownBy(() -> start())
                .hasMessageContaining("exited at startup")
                .satisfies(e -> assertThat(e.getMessage())
                        .contains("reprise server: bad policy file: policy.yaml:3: mode must be 'enforce' or 'warn',"
                                + " not 'block'")
                        .doesNotContain("\tat ", "Exception"));
        Process p = new ProcessBuilder(command("--policy", "missing.yaml"))
                .directory(dir.toFile())
                .start();
        assertThat(p.waitFor()).isEqualTo(2);
        assertThat(new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .startsWith(
                        "reprise server: bad policy file: missing.yaml: cannot read the policy file (no such file)");
    }

    @Test
    void anEditIsPickedUpAndABrokenEditIsRefusedKeepingTheLastGoodPolicy() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), WARN_ALL);
        try (ServerProcess server = start()) {
            assertThat(server.output()).contains("policy.yaml loaded: 1 rule (*: warn)");
            String exp = post(server, "experiments/create", "{\"name\":\"e\"}")
                    .replaceAll(".*\"experiment_id\":\"(\\d+)\".*", "$1");
            assertThat(createRun(server, exp).statusCode()).isEqualTo(200);

            Files.writeString(
                    policy,
                    WARN_ALL.replace("warn", "enforce") + "    require:\n      tags: [{key: owner, at: start}]\n");
            await(server, "policy.yaml reloaded: 1 rule (*: enforce)");
            HttpResponse<String> refused = createRun(server, exp);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("tag 'owner' is missing");

            Files.writeString(policy, "rules:\n  - experiments: '*'\n    mode: enforce\n    require: {tags: [[x]]}\n");
            await(server, "refused, keeping the last good policy: ");
            assertThat(server.output()).contains("policy.yaml:4: a required tag must be a mapping (key: value lines)");
            assertThat(createRun(server, exp).statusCode())
                    .as("the last good policy still applies")
                    .isEqualTo(400);
        }
    }

    private ServerProcess start() throws Exception {
        return ServerProcess.start(
                dir,
                List.of(),
                List.of(
                        "--port",
                        "0",
                        "--backend-store-uri",
                        "sqlite:///" + dir.resolve("r.db"),
                        "--artifacts-destination",
                        dir.resolve("a").toString(),
                        "--policy",
                        "policy.yaml"));
    }

    private List<String> command(String... args) {
        List<String> c = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "io.reprise.cli.Main",
                "server",
                "--port",
                "0",
                "--backend-store-uri",
                "sqlite:///" + dir.resolve("r.db"),
                "--artifacts-destination",
                dir.resolve("a").toString()));
        c.addAll(List.of(args));
        return c;
    }

    private static void await(ServerProcess server, String logLine) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!server.output().contains(logLine)) {
            assertThat(System.nanoTime())
                    .as("log line '" + logLine + "' in:\n" + server.output())
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static HttpResponse<String> createRun(ServerProcess server, String exp) throws Exception {
        return send(server, "runs/create", "{\"experiment_id\":\"" + exp + "\"}");
    }

    private static String post(ServerProcess server, String endpoint, String json) throws Exception {
        return send(server, endpoint, json).body();
    }

    private static HttpResponse<String> send(ServerProcess server, String endpoint, String json) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/api/2.0/mlflow/" + endpoint))
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .header("Content-Type", "application/json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
