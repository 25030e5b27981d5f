package io.reprise.capture;

import io.reprise.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh tracking server, project directory and HOME for each test. */
abstract class ServerFixture {
    @TempDir
    Path tmp;

    TestServer server;
    Path project;
    Path home;

    @BeforeEach
    void startServer() throws IOException {
        server = TestServer.start(Files.createDirectories(tmp.resolve("server")));
        project = Files.createDirectories(tmp.resolve("project"));
        home = Files.createDirectories(tmp.resolve("home"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** reprise in {@code project}, talking to this test's server. */
    Reprise reprise() {
        return reprise(project);
    }

    Reprise reprise(Path workDir) {
        return new Reprise(workDir, home).env("MLFLOW_TRACKING_URI", server.url());
    }

    ServerRuns.RecordedRun recorded(Reprise.Result r) {
        return ServerRuns.get(server, r.runId());
    }
}
