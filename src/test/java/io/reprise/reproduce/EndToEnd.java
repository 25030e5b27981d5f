package io.reprise.reproduce;

import io.reprise.testing.RepriseCli;
import io.reprise.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the end-to-end tests of reproduce and verify share: one real server per test class on a
 * loopback port, and a {@code reprise} CLI pointed at it (MLFLOW_TRACKING_URI) with a private HOME,
 * all under the class's temporary folder. A subclass's own {@code @BeforeAll} runs after this one's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndToEnd {
    Path tmp;
    TestServer server;
    RepriseCli cli;

    @BeforeAll
    final void startServer(@TempDir Path dir) throws IOException {
        tmp = dir;
        server = TestServer.start(Files.createDirectories(tmp.resolve("server")));
        cli = new RepriseCli(tmp, Files.createDirectories(tmp.resolve("home")))
                .env("MLFLOW_TRACKING_URI", server.url());
    }

    @AfterAll
    final void stopServer() {
        server.close();
    }
}
