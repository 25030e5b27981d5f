package io.reprise.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Group commit: concurrent writes share one transaction and one fsync, and each caller returns only
 * after that transaction has committed. Every write runs in its own savepoint, so one that fails
 * (a param conflict, an unknown run) is rolled back alone and its caller gets its exception while
 * the others commit.
 *
 * <p>One writer thread owns the write connection, which suits SQLite's single-writer model: no
 * SQLITE_BUSY spinning, and readers keep their own connections under WAL.
 */
final class GroupCommit implements AutoCloseable {
    private static final int MAX_GROUP = 512;

    private record Pending<T>(HandleCallback<T, RuntimeException> work, CompletableFuture<T> done) {}

    private final Jdbi jdbi;
    private final BlockingQueue<Pending<?>> queue = new ArrayBlockingQueue<>(8192);
    private final Thread writer;
    private volatile boolean closed;

    GroupCommit(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.writer = Thread.ofPlatform().name("reprise-group-commit").daemon().start(this::loop);
    }

    /** Runs {@code work} in the next group and returns its result once the group has committed. */
    <T> T submit(HandleCallback<T, RuntimeException> work) {
        if (closed) {
            throw new IllegalStateException("The store is closed");
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
            queue.put(new Pending<>(work, done));
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a commit", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void loop() {
        List<Pending<?>> group = new ArrayList<>(MAX_GROUP);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                commit(group);
            } catch (RuntimeException | Error e) {
                // Whatever went wrong, no caller may wait forever and the writer must live on:
                // otherwise every later write would hang.
                group.forEach(p -> p.done().completeExceptionally(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void commit(List<Pending<?>> group) {
        List<Runnable> completions = new ArrayList<>(group.size());
        try (Handle h = jdbi.open()) {
            h.begin();
            if (group.size() == 1 && !runAlone(h, group.getFirst(), completions)) {
                h.rollback();
            } else {
                for (int i = completions.size(); i < group.size(); i++) {
                    completions.add(runInSavepoint(h, group.get(i), "w" + i));
                }
                h.commit();
            }
        } catch (RuntimeException e) {
            // the commit itself failed: nothing of the group is durable, so every caller fails
            group.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        completions.forEach(Runnable::run);
    }

    /**
     * A write alone in its transaction needs no savepoint (two statements less): on failure the
     * caller rolls the transaction back. Returns whether it succeeded.
     */
    private static <T> boolean runAlone(Handle h, Pending<T> p, List<Runnable> completions) {
        try {
            T result = p.work().withHandle(h);
            completions.add(() -> p.done().complete(result));
            return true;
        } catch (RuntimeException | Error e) {
            completions.add(() -> p.done().completeExceptionally(e));
            return false;
        }
    }

    private static <T> Runnable runInSavepoint(Handle h, Pending<T> p, String name) {
        h.savepoint(name);
        try {
            T result = p.work().withHandle(h);
            h.releaseSavepoint(name);
            return () -> p.done().complete(result);
        } catch (RuntimeException | Error e) {
            // JDBI forgets a savepoint once rolled back to; the transaction's commit ends it
            h.rollbackToSavepoint(name);
            return () -> p.done().completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
