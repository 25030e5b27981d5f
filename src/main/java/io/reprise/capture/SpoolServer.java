package io.reprise.capture;

import java.net.URI;
import java.nio.file.Path;

/**
 * A private tracking server over one spool entry, for offline runs and for reading them back in
 * {@code reprise sync}. Started by the CLI, which wires the server: capture does not depend on it,
 * and a plain {@code reprise run} never loads it.
 */
public interface SpoolServer extends AutoCloseable {
    /** Where MLflow clients reach it. */
    URI uri();

    @Override
    void close();

    /** Starts a server keeping its store and artifacts in {@code dir}. */
    @FunctionalInterface
    interface Factory {
        SpoolServer start(Path dir);
    }
}
