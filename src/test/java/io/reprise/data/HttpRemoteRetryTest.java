package io.reprise.data;

import static io.reprise.data.Tools.git;
import static io.reprise.data.Tools.reprise;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfers over a connection that breaks: a download cut short is retried and never leaves a
 * partial object in the cache; a remote that keeps failing stops the pull with one line.
 */
class HttpRemoteRetryTest {
    @TempDir
    Path tmp;

    /** Serves {@code store}; a GET of an object answers per {@code mode} (attempt number -> behaviour). */
    private interface Mode {
        /** 0: serve whole, 1: cut the body short, 2: HTTP 500. */
        int behaviour(int attempt);
    }

    private HttpServer serve(Path store, Mode mode, Map<String, AtomicInteger> gets) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", ex -> {
            try (ex) {
                Path file = store.resolve(ex.getRequestURI().getPath().substring(1));
                if (!Files.isRegularFile(file)) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(file);
                if (ex.getRequestMethod().equals("HEAD")) {
                    ex.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
                    ex.sendResponseHeaders(200, -1);
                    return;
                }
                int attempt = gets.computeIfAbsent(file.toString(), k -> new AtomicInteger())
                        .incrementAndGet();
                respond(ex, body, mode.behaviour(attempt));
            }
        });
        http.start();
        return http;
    }

    private static void respond(HttpExchange ex, byte[] body, int behaviour) throws IOException {
        switch (behaviour) {
            case 0 -> {
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            case 1 -> {
                ex.sendResponseHeaders(200, body.length + 1000L);
                OutputStream out = ex.getResponseBody();
                out.write(body, 0, body.length / 2);
                out.flush(); // the exchange then closes short of its Content-Length: the client sees EOF
            }
            default -> ex.sendResponseHeaders(500, -1);
        }
    }

    private Path pushedClone(Path store) {
        Path origin = tmp.resolve("origin");
        Fixtures.mkdirs(origin);
        git(origin, "init", "-q").ok();
        reprise(origin, "init").ok();
        Fixtures.write(origin.resolve("data/a.txt"), "a".repeat(100_000));
        Fixtures.write(origin.resolve("data/b.txt"), "b".repeat(50_000));
        Fixtures.write(origin.resolve("model.bin"), "weights\n");
        reprise(origin, "add", "data", "model.bin").ok();
        reprise(origin, "remote", "add", "-d", "local", store.toString()).ok();
        reprise(origin, "push").ok();
        git(origin, "add", "-A").ok();
        git(origin, "commit", "-qm", "data").ok();
        Path clone = tmp.resolve("clone");
        git(tmp, "clone", "-q", origin.toString(), clone.toString()).ok();
        return clone;
    }

    @Test
    void aDownloadCutShortIsRetriedAndTheDataArrivesWhole() throws IOException {
        Path store = tmp.resolve("store");
        Path clone = pushedClone(store);
        Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
        HttpServer http = serve(store, attempt -> attempt == 1 ? 1 : 0, gets);
        try {
            reprise(
                            clone,
                            "remote",
                            "add",
                            "-d",
                            "web",
                            "http://127.0.0.1:" + http.getAddress().getPort())
                    .ok();

            Tools.Result pull = reprise(clone, "pull").ok();

            assertThat(pull.out()).contains("files fetched");
            assertThat(Files.readString(clone.resolve("data/a.txt"))).isEqualTo("a".repeat(100_000));
            assertThat(Files.readString(clone.resolve("model.bin"))).isEqualTo("weights\n");
            // every object's first GET was cut short: each was asked for again
            assertThat(gets.values()).allMatch(n -> n.get() >= 2);
            assertThat(reprise(clone, "status").ok().out().strip()).isEqualTo("Data and pipelines are up to date.");
            assertThat(tempFiles(clone)).isEmpty();
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aRemoteThatKeepsFailingStopsThePullWithOneLineAndNoPartialObject() throws IOException {
        Path store = tmp.resolve("store");
        Path clone = pushedClone(store);
        HttpServer http = serve(store, attempt -> attempt == 1 ? 1 : 2, new ConcurrentHashMap<>());
        try {
            reprise(
                            clone,
                            "remote",
                            "add",
                            "-d",
                            "web",
                            "http://127.0.0.1:" + http.getAddress().getPort())
                    .ok();

            Tools.Result pull = reprise(clone, "pull");

            assertThat(pull.exitCode()).isEqualTo(2);
            assertThat(pull.err().strip())
                    .startsWith("reprise data pull: Remote 'web': ")
                    .contains("(object ")
                    .endsWith(", 3 attempts)")
                    .doesNotContain("\n");
            assertThat(files(clone.resolve(".dvc/cache"))).isEmpty();
            assertThat(clone.resolve("model.bin")).doesNotExist();
        } finally {
            http.stop(0);
        }
    }

    private static java.util.List<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return java.util.List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static java.util.List<Path> tempFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
