package io.reprise.capture;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Work {@code reprise run} starts before its command line is even parsed: reading the work tree's
 * git state (four git processes) and loading the HTTP client's classes. picocli's parse takes about
 * as long as both, so on two cores they overlap instead of adding up (issue #6's budget).
 *
 * <p>The git state read early is used only by a run in the same directory with the same environment
 * (an MLproject run with its own environment reads it again), and it is still read before the
 * command starts, as the record requires.
 */
public final class EarlyStart {
    private record Key(Path dir, Map<String, String> env) {}

    private record Probe(Key key, CompletableFuture<GitState> state) {}

    private static volatile Probe early;

    private EarlyStart() {}

    /** Starts reading the current directory's git state and warming the HTTP client, in the background. */
    public static void begin() {
        try {
            begin(RunSpec.realPath(Path.of("")), System.getenv());
        } catch (CaptureException e) {
            // no working directory: the run reports it
        }
    }

    /** The same for {@code dir} (a real path) and {@code env}, e.g. the AOT cache's training run. */
    public static void begin(Path dir, Map<String, String> env) {
        Key key = new Key(dir, env);
        early = new Probe(
                key, CompletableFuture.supplyAsync(() -> new GitProbe(key.dir(), key.env()).probe(), Threads.POOL));
        CompletableFuture.runAsync(TrackingClient::warmUp, Threads.POOL);
    }

    /**
     * The git state read early for this directory and environment, taken once; empty when none was
     * started for them. Throws what the probe threw ({@link CaptureException} when there is no git
     * work tree).
     */
    static Optional<GitState> gitState(Path dir, Map<String, String> env) {
        Probe p = early;
        if (p == null || !p.key().equals(new Key(dir, env))) {
            return Optional.empty();
        }
        early = null;
        try {
            return Optional.of(p.state().join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
