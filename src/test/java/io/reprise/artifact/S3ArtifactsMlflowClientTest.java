package io.reprise.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.testing.S3Server;
import io.reprise.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The real mlflow 3.x Python client logs, lists and downloads artifacts through a Reprise server
 * whose artifacts live in S3: what it gets back is what it sent, and S3 holds it under the prefix,
 * the 110 MB file as a multipart upload.
 */
class S3ArtifactsMlflowClientTest {
    private static final long BIG = 110L * 1024 * 1024;

    @RegisterExtension
    static final S3Server s3 = new S3Server();

    @TempDir
    Path dir;

    @Test
    void theMlflowClientRoundTripsArtifactsThroughS3() throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("folder/sub"));
        Files.writeString(in.resolve("hello.txt"), "hello");
        Files.writeString(in.resolve("folder/a.txt"), "aaa");
        Files.writeString(in.resolve("folder/sub/b.txt"), "bb");
        Files.createFile(in.resolve("folder/empty.txt"));
        String bigSha = writeRandom(in.resolve("big.bin"), BIG);
        String bucket = s3.createBucket();

        JsonNode seen;
        try (TestServer server = TestServer.startWithS3(dir, "s3://" + bucket + "/mlruns", s3.settings())) {
            seen = runClient(server.url());
        }

        String runId = seen.get("run_id").asText();
        assertThat(seen.get("artifact_uri").asText()).startsWith("mlflow-artifacts:/");
        assertThat(rows(seen.get("root")))
                .containsExactly(
                        List.of("big", true, ""),
                        List.of("folder", true, ""),
                        List.of("hello.txt", false, 5),
                        List.of("notes", true, ""));
        assertThat(rows(seen.get("folder")))
                .containsExactly(
                        List.of("folder/a.txt", false, 3),
                        List.of("folder/empty.txt", false, 0),
                        List.of("folder/sub", true, ""));
        assertThat(rows(seen.get("notes"))).containsExactly(List.of("notes/ünï côde.txt", false, 13));

        Path out = Path.of(seen.get("downloaded").asText());
        assertThat(Files.readString(out.resolve("hello.txt"))).isEqualTo("hello");
        assertThat(Files.readString(out.resolve("folder/sub/b.txt"))).isEqualTo("bb");
        assertThat(Files.size(out.resolve("folder/empty.txt"))).isZero();
        assertThat(Files.readString(out.resolve("notes/ünï côde.txt"))).isEqualTo("ünïcode ✓");
        assertThat(sha256(out.resolve("big/big.bin"))).isEqualTo(bigSha);

        String prefix = "mlruns/1/" + runId + "/artifacts/";
        List<String> keys = s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key)
                .sorted()
                .toList();
        assertThat(keys)
                .containsExactly(
                        prefix + "big/big.bin",
                        prefix + "folder/a.txt",
                        prefix + "folder/empty.txt",
                        prefix + "folder/sub/b.txt",
                        prefix + "hello.txt",
                        prefix + "notes/ünï côde.txt");
        var head = s3.client().headObject(b -> b.bucket(bucket).key(prefix + "big/big.bin"));
        assertThat(head.contentLength()).isEqualTo(BIG);
        assertThat(head.eTag()).as("multipart ETag").matches("\"[0-9a-f]{32}-14\"");
    }

    private JsonNode runClient(String trackingUri) throws Exception {
        Path script = dir.resolve("client.py");
        try (InputStream res = Objects.requireNonNull(getClass().getResourceAsStream("mlflow_s3_artifacts.py"))) {
            Files.copy(res, script);
        }
        ProcessBuilder pb = new ProcessBuilder(python(), script.toString(), dir.toString())
                .directory(dir.toFile())
                .redirectError(dir.resolve("client.err").toFile());
        pb.environment().put("MLFLOW_TRACKING_URI", trackingUri);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        Process p = pb.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as("mlflow client failed:\n%s", Files.readString(dir.resolve("client.err")))
                .isZero();
        String last = stdout.strip().substring(stdout.strip().lastIndexOf('\n') + 1);
        return new ObjectMapper().readTree(last);
    }

    private static String python() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Process p = new ProcessBuilder(root.resolve("scripts/python-env.sh").toString(), "mlflow3")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String venv = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as("scripts/python-env.sh mlflow3").isZero();
        return Path.of(venv, "bin", "python").toString();
    }

    // [path, is_dir, file_size or "" when absent]
    private static List<List<Object>> rows(JsonNode listing) {
        return java.util.stream.StreamSupport.stream(listing.spliterator(), false)
                .map(r -> List.<Object>of(
                        r.get(0).asText(),
                        r.get(1).asBoolean(),
                        r.get(2).isNull() ? "" : r.get(2).asInt()))
                .toList();
    }

    private static String writeRandom(Path file, long size) throws IOException {
        Random random = new Random(11);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long n = 0; n < size; n += block.length) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        return sha256(file);
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
