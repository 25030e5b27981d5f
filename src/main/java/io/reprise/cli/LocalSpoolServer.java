package io.reprise.cli;

import io.reprise.app.ReprisServer;
import io.reprise.app.ServerConfig;
import io.reprise.capture.SpoolServer;
import java.net.URI;
import java.nio.file.Path;

/**
 * A Reprise tracking server on a free loopback port over one spool entry: its SQLite store and
 * artifacts live in the entry. Loaded only when a run goes offline or a sync starts.
 */
final class LocalSpoolServer implements SpoolServer {
    private final ReprisServer server;

    private LocalSpoolServer(ReprisServer server) {
        this.server = server;
    }

    static SpoolServer start(Path dir) {
        Path db = dir.resolve("store.db").toAbsolutePath();
        return new LocalSpoolServer(
                ReprisServer.start(new ServerConfig("127.0.0.1", 0, "sqlite:///" + db, dir.resolve("artifacts"))));
    }

    @Override
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        server.close();
    }
}
