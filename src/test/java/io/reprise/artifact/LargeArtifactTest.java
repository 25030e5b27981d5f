package io.reprise.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.testing.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MB artifact through a server whose whole heap is 64 MB: if any layer held the body in
 * memory, the upload or the download would fail with an OutOfMemoryError.
 */
class LargeArtifactTest {
    private static final long SIZE = 200L * 1024 * 1024;
    private static final String PATH = "/api/2.0/mlflow-artifacts/artifacts/0/big/artifacts/model.bin";

    @TempDir
    Path dir;

    @Test
    void twoHundredMegabytesGoUpAndComeBackThroughASmallHeap() throws Exception {
        Path source = dir.resolve("model.bin");
        String sha = writeRandomFile(source, SIZE);
        HttpClient http = HttpClient.newHttpClient();

        try (ServerProcess server = ServerProcess.start(
                dir,
                List.of("-Xmx64m"),
                List.of(
                        "--port",
                        "0",
                        "--backend-store-uri",
                        "sqlite:///" + dir.resolve("reprise.db"),
                        "--artifacts-destination",
                        dir.resolve("artifacts").toString()))) {
            HttpResponse<String> up = http.send(
                    HttpRequest.newBuilder(URI.create(server.url() + PATH))
                            .PUT(HttpRequest.BodyPublishers.ofFile(source))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            assertThat(sha256(dir.resolve("artifacts/0/big/artifacts/model.bin")))
                    .isEqualTo(sha);

            HttpResponse<InputStream> down = http.send(
                    HttpRequest.newBuilder(URI.create(server.url() + PATH)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(down.statusCode()).isEqualTo(200);
            assertThat(down.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
            assertThat(sha256(down.body())).isEqualTo(sha);

            assertThat(server.output()).doesNotContain("OutOfMemoryError");
            assertThat(server.process().isAlive()).isTrue();
        }
    }

    /** Writes {@code size} seeded random bytes (incompressible, not committed) and returns their SHA-256. */
    private static String writeRandomFile(Path file, long size) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream d = new DigestInputStream(in, digest)) {
            d.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new AssertionError("Download broke off", e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
