package io.reprise.testing;

import io.reprise.app.ReprisServer;
import io.reprise.app.ServerConfig;
import io.reprise.s3.S3Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A real Reprise server on a free loopback port over a fresh SQLite file, plus a small HTTP client. */
public final class TestServer implements AutoCloseable {
    private final ReprisServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Path dir;

    private TestServer(ReprisServer server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /** Starts a server whose database and artifacts live under {@code dir}. */
    public static TestServer start(Path dir) {
        return start(dir, "sqlite:///" + dir.resolve("reprise.db").toAbsolutePath());
    }

    public static TestServer start(Path dir, String backendUri) {
        ServerConfig config = new ServerConfig("127.0.0.1", 0, backendUri, dir.resolve("artifacts"));
        return new TestServer(ReprisServer.start(config), dir);
    }

    /** Starts a server over a fresh SQLite file in {@code dir}, with artifacts at {@code s3://...}. */
    public static TestServer startWithS3(Path dir, String artifactsDestination, S3Settings s3) {
        ServerConfig config = new ServerConfig(
                "127.0.0.1",
                0,
                "sqlite:///" + dir.resolve("reprise.db").toAbsolutePath(),
                artifactsDestination,
                s3,
                null);
        return new TestServer(ReprisServer.start(config), dir);
    }

    /** A server over a fresh SQLite file that enforces the team policy in {@code policy}. */
    public static TestServer withPolicy(Path dir, Path policy) {
        ServerConfig config = new ServerConfig(
                "127.0.0.1",
                0,
                "sqlite:///" + dir.resolve("reprise.db").toAbsolutePath(),
                dir.resolve("artifacts"),
                policy);
        return new TestServer(ReprisServer.start(config), dir);
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public Path dir() {
        return dir;
    }

    /** The status and body of a request; {@code body} null sends none. */
    public record Response(int status, String body) {}

    public Response get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).GET());
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
