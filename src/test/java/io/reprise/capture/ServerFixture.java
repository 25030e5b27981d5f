package io.reprise.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.testing.RepriseCli;
import io.reprise.testing.ServerRuns;
import io.reprise.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
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
    void stopServerAndCheckNothingWasLeftBehind() throws IOException {
        server.close();
        Path javaTmp = home.resolve("tmp");
        if (Files.isDirectory(javaTmp)) {
            try (Stream<Path> left = Files.list(javaTmp)) {
                assertThat(left).as("temporary files reprise left behind").isEmpty();
            }
        }
    }

    /** reprise in {@code project}, talking to this test's server. */
    RepriseCli reprise() {
        return reprise(project);
    }

    RepriseCli reprise(Path workDir) {
        return new RepriseCli(workDir, home).env("MLFLOW_TRACKING_URI", server.url());
    }

    ServerRuns.RecordedRun recorded(RepriseCli.Result r) {
        return ServerRuns.get(server, r.runId());
    }
}
