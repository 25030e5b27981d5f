package io.reprise.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A policy file, re-read when its content changes. A broken new version is refused with its line and
 * reason in the log, and the last good policy stays in force. Polling the content (not a
 * WatchService) also sees editors that replace the file and files on network mounts.
 */
public final class PolicyFile implements Supplier<Policy>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyFile.class);

    private final Path path;
    private final AtomicReference<Policy> current;
    private byte[] lastSeen;
    private ScheduledExecutorService poller;
    private java.util.concurrent.ScheduledFuture<?> polling;

    private PolicyFile(Path path, Policy policy, byte[] content) {
        this.path = path;
        this.current = new AtomicReference<>(policy);
        this.lastSeen = content;
    }

    /** Reads the file; a missing or broken one is a {@link PolicyException} (the server does not start). */
    public static PolicyFile load(Path path) {
        byte[] content = read(path);
        Policy policy = parse(path, content);
        LOG.info("policy {} loaded: {}", path, summary(policy));
        return new PolicyFile(path, policy, content);
    }

    /** Checks the file for changes every {@code interval}, on a daemon thread. */
    public synchronized void watch(Duration interval) {
        if (poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "reprise-policy-watch");
                t.setDaemon(true);
                return t;
            });
            long ms = interval.toMillis();
            polling = poller.scheduleWithFixedDelay(this::reloadQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public Policy get() {
        return current.get();
    }

    public Path path() {
        return path;
    }

    // an exception would cancel the schedule silently: log it and keep watching
    private void reloadQuietly() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) {
            LOG.warn("policy {}: cannot check for changes: {}", path, e.toString());
        }
    }

    synchronized void reloadIfChanged() {
        byte[] content;
        try {
            content = read(path);
        } catch (PolicyException e) {
            if (lastSeen != null) {
                LOG.warn("policy {} refused, keeping the last good policy: {}", path, e.getMessage());
                lastSeen = null; // log once, and reload when it comes back
            }
            return;
        }
        if (Arrays.equals(content, lastSeen)) {
            return;
        }
        lastSeen = content;
        try {
            Policy policy = parse(path, content);
            current.set(policy);
            LOG.info("policy {} reloaded: {}", path, summary(policy));
        } catch (PolicyException e) {
            LOG.warn("policy {} refused, keeping the last good policy: {}", path, e.getMessage());
        }
    }

    private static Policy parse(Path path, byte[] content) {
        return PolicyParser.parse(new String(content, java.nio.charset.StandardCharsets.UTF_8), path.toString());
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new PolicyException(path + ": cannot read the policy file ("
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()) + ")");
        }
    }

    private static String summary(Policy p) {
        return p.rules().size() + (p.rules().size() == 1 ? " rule" : " rules") + " ("
                + String.join(
                        ", ",
                        p.rules().stream()
                                .map(r -> r.name() + ": " + r.mode().label())
                                .toList())
                + ")";
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            polling.cancel(false);
            poller.shutdownNow();
        }
    }
}
