package io.reprise.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.testing.RawHttp;
import io.reprise.testing.ServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reprise server} as its own process: SIGTERM stops it cleanly, as service managers expect. */
class ServerShutdownTest {
    /** What the JVM reports after running its shutdown hooks on SIGTERM: 128 + 15. */
    private static final int EXIT_ON_SIGTERM = 143;

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void sigtermExitsReleasesThePortAndLeavesAConsistentDatabase() throws Exception {
        try (ServerProcess server = start()) {
            String created = post(server, "/api/2.0/mlflow/experiments/create", "{\"name\":\"before-sigterm\"}");
            assertThat(created).contains("experiment_id");

            int exit = server.terminate(EXIT_TIMEOUT);

            assertThat(exit).isEqualTo(EXIT_ON_SIGTERM);
            assertThat(server.output())
                    .contains("Reprise tracking server stopped.")
                    .doesNotContain("Exception");
            assertPortIsFree(server.port());
            assertThat(sqlite("PRAGMA integrity_check")).containsExactly("ok");
            assertThat(sqlite("SELECT name FROM experiments ORDER BY name")).contains("before-sigterm");
            // the last connection closed cleanly: SQLite checkpointed and removed its write-ahead log
            assertThat(dir.resolve("reprise.db-wal")).doesNotExist();
        }
    }

    @Test
    void anUploadUnderWayWhenSigtermArrivesIsFinishedBeforeExit() throws Exception {
        try (ServerProcess server = start()) {
            byte[] half = "first half,".repeat(1000).getBytes(StandardCharsets.US_ASCII);
            String head = "PUT /api/2.0/mlflow-artifacts/artifacts/0/late.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\nContent-Length: " + (2 * half.length) + "\r\n\r\n";
            Socket upload = RawHttp.begin(server.port(), concat(head.getBytes(StandardCharsets.US_ASCII), half));
            awaitTempFileIn(dir.resolve("artifacts/0"));

            server.process().destroy();
            upload.getOutputStream().write(half);
            RawHttp.Reply reply = RawHttp.finish(upload);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(server.process().waitFor(EXIT_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            assertThat(Files.size(dir.resolve("artifacts/0/late.txt"))).isEqualTo(2L * half.length);
        }
    }

    @Test
    void byDefaultItListensOnLoopbackOnly() throws Exception {
        try (ServerProcess server = start()) {
            assertThat(server.host()).isEqualTo("127.0.0.1");
            assertThat(get(server, "/health")).isEqualTo("OK");
            for (InetAddress address : nonLoopbackAddresses()) {
                assertThat(connects(address, server.port()))
                        .as(address.toString())
                        .isFalse();
            }
        }
    }

    private ServerProcess start() throws IOException {
        return ServerProcess.start(
                dir,
                List.of("-Xmx256m"),
                List.of(
                        "--port",
                        "0",
                        "--backend-store-uri",
                        "sqlite:///" + dir.resolve("reprise.db"),
                        "--artifacts-destination",
                        dir.resolve("artifacts").toString()));
    }

    private String post(ServerProcess server, String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private String get(ServerProcess server, String path) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(server.url() + path)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private List<String> sqlite(String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("reprise.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static void assertPortIsFree(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    // The handler has started (and is streaming to its temp file) once the temp file exists.
    private static void awaitTempFileIn(Path folder) throws IOException, InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    if (files.anyMatch(p -> p.getFileName().toString().startsWith(".artifact.uploading."))) {
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("The upload never started");
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        return java.net.NetworkInterface.networkInterfaces()
                .flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .toList();
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new java.net.InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
