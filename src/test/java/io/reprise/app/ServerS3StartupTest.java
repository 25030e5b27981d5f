package io.reprise.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.testing.S3Server;
import io.reprise.testing.ServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reprise server --artifacts-destination s3://...} as a user starts it: the AWS settings come
 * from the environment, and a bad one stops the start with one line, not a stack trace.
 */
class ServerS3StartupTest {
    @RegisterExtension
    static final S3Server s3 = new S3Server();

    @TempDir
    Path dir;

    private record Exit(int code, String output) {}

    @Test
    void startsOnABucketFromTheEnvironmentAndSaysWhere() throws Exception {
        String bucket = s3.createBucket();
        Process p = start(s3.env(), "s3://" + bucket + "/mlflow");
        try {
            String out = awaitOutput(p, "MLflow clients:");
            assertThat(out).contains("artifacts:      s3://" + bucket + "/mlflow");
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** As deploy/compose.yaml passes them: unset variables arrive as empty strings. */
    @Test
    void emptyVariablesCountAsUnsetAndMlflowsEndpointVariableIsRead() throws Exception {
        String bucket = s3.createBucket();
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("AWS_REGION", "");
        env.put("AWS_DEFAULT_REGION", "");
        env.put("AWS_ENDPOINT_URL", "");
        env.put("AWS_PROFILE", "");
        Process p = start(env, "s3://" + bucket);
        try {
            assertThat(awaitOutput(p, "MLflow clients:")).contains("artifacts:      s3://" + bucket);
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMissingBucketStopsTheStartWithOneLine() throws Exception {
        Exit e = runToExit(s3.env(), "s3://no-such-bucket/prefix");

        assertThat(e.code()).isEqualTo(2);
        assertThat(e.output().strip())
                .isEqualTo("reprise server: Cannot use s3://no-such-bucket/prefix for artifacts: bucket"
                        + " 'no-such-bucket' does not exist at the S3 endpoint " + s3.endpoint()
                        + "; create it or fix the bucket name");
    }

    @Test
    void missingCredentialsStopTheStartWithAHint() throws Exception {
        Map<String, String> env = new HashMap<>(s3.env());
        env.remove("AWS_ACCESS_KEY_ID");
        env.remove("AWS_SECRET_ACCESS_KEY");

        String bucket = s3.createBucket();

        Exit e = runToExit(env, "s3://" + bucket);

        assertThat(e.code()).isEqualTo(2);
        assertThat(e.output().strip())
                .isEqualTo("reprise server: Cannot use s3://" + bucket + " for artifacts: no AWS credentials found for"
                        + " s3://" + bucket + "; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE");
    }

    @Test
    void wrongCredentialsAreReportedAsDenied() throws Exception {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("AWS_SECRET_ACCESS_KEY", "wrong");

        Exit e = runToExit(env, "s3://" + s3.createBucket() + "/x");

        assertThat(e.code()).isEqualTo(2);
        assertThat(e.output().strip())
                .contains("for artifacts: access to s3://")
                .contains("was denied")
                .contains("check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE")
                .doesNotContain("\n")
                .doesNotContain("wrong");
    }

    @Test
    void anUnreachableEndpointIsNamed() throws Exception {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        env.put("MLFLOW_S3_ENDPOINT_URL", "http://127.0.0.1:9");

        Exit e = runToExit(env, "s3://bucket/x");

        assertThat(e.code()).isEqualTo(2);
        assertThat(e.output().strip())
                .startsWith("reprise server: Cannot use s3://bucket/x for artifacts: cannot reach the S3 endpoint"
                        + " http://127.0.0.1:9")
                .doesNotContain("\n");
    }

    @Test
    void aMalformedS3UrlIsAUsageError() throws Exception {
        Exit e = runToExit(s3.env(), "s3://Bad_Bucket/x");

        assertThat(e.code()).isEqualTo(2);
        assertThat(e.output().strip()).startsWith("reprise server: --artifacts-destination: 'Bad_Bucket'");
    }

    /** With local artifacts the AWS SDK is never loaded: it would cost start-up time for nothing. */
    @Test
    void aServerWithLocalArtifactsNeverLoadsTheAwsSdk() throws Exception {
        Path classLog = dir.resolve("classes.log");
        try (ServerProcess server = ServerProcess.start(
                dir,
                List.of("-Xlog:class+load=info:file=" + classLog),
                List.of("--port", "0", "--backend-store-uri", "sqlite:///" + dir.resolve("r.db")))) {
            var http = java.net.http.HttpClient.newHttpClient();
            var put = http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                    server.url() + "/api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/a.txt"))
                            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(200);
        }
        String loaded = Files.readString(classLog, StandardCharsets.UTF_8);
        assertThat(loaded).contains("io.reprise.artifact.LocalArtifactStore");
        assertThat(loaded).doesNotContain("software.amazon.awssdk").doesNotContain("io.reprise.artifact.S3");
    }

    private Process start(Map<String, String> env, String destination) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "io.reprise.cli.Main",
                "server",
                "--port",
                "0",
                "--backend-store-uri",
                "sqlite:///" + dir.resolve("reprise.db"),
                "--artifacts-destination",
                destination));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MLFLOW_"));
        e.put("HOME", dir.toString()); // no ~/.aws of the machine running the tests
        e.put("AWS_EC2_METADATA_DISABLED", "true");
        e.putAll(env);
        return pb.redirectOutput(dir.resolve("out.log").toFile()).start();
    }

    private Exit runToExit(Map<String, String> env, String destination) throws Exception {
        Process p = start(env, destination);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("server did not stop: " + Files.readString(dir.resolve("out.log")));
        }
        return new Exit(p.exitValue(), Files.readString(dir.resolve("out.log")));
    }

    private String awaitOutput(Process p, String marker) throws Exception {
        for (int i = 0; i < 600; i++) {
            String out = Files.readString(dir.resolve("out.log"));
            if (out.contains(marker)) {
                return out;
            }
            if (!p.isAlive()) {
                throw new AssertionError("server exited: " + out);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server did not start: " + Files.readString(dir.resolve("out.log")));
    }
}
