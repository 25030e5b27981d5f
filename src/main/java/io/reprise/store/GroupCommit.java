package io.reprise.store;

import io.reprise.model.ErrorCode;
import io.reprise.model.MlflowException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Group commit: concurrent writes share one transaction and one fsync, and each caller returns only
 * after that transaction has committed. A write that fails is rolled back alone and its caller gets
 * its exception while the others commit.
 *
 * <p>One writer thread owns the writes. That suits SQLite's single-writer model (no SQLITE_BUSY
 * spinning; readers keep their own connections under WAL). On PostgreSQL it keeps the rows one
 * replica updates in one transaction at a time, so the replica's groups never wait on (or deadlock
 * with) each other; a group's time is its statements plus one WAL flush, shared by all its writes.
 *
 * <p>How a group runs differs by database:
 *
 * <ul>
 *   <li>SQLite: every write in its own savepoint (none when alone), one commit.
 *   <li>PostgreSQL: first all writes without savepoints (two round trips less per write); if one
 *       fails, the transaction is rolled back and the group runs again with a savepoint per write,
 *       as on SQLite. Several replicas share the database, so a group can deadlock (40P01) or hit a
 *       serialization failure (40001) with another replica's; that aborts the whole transaction,
 *       and each write of the group then runs again in its own transaction (retried a few times),
 *       so each outcome is its own. A write is acknowledged only once its transaction committed,
 *       and applied at most once: every rerun follows a rollback.
 * </ul>
 */
final class GroupCommit implements AutoCloseable {
    private static final int MAX_GROUP = 512;
    /** Attempts of a write alone in its transaction when it keeps deadlocking with another replica. */
    static final int ALONE_ATTEMPTS = 5;

    private record Pending<T>(HandleCallback<T, RuntimeException> work, CompletableFuture<T> done) {}

    /** The whole group's transaction is lost (deadlock, serialization failure): rerun each write alone. */
    private static final class Transient extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Transient(RuntimeException cause) {
            super(cause);
        }
    }

    private final Jdbi jdbi;
    private final boolean optimistic;
    private final BlockingQueue<Pending<?>> queue = new ArrayBlockingQueue<>(8192);
    private final Thread writer;
    private volatile boolean closed;

    GroupCommit(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.optimistic = dialect == Dialect.POSTGRES;
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

    /** Writes waiting for the next group (for tests that need several in one group). */
    int queued() {
        return queue.size();
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
                if (optimistic) {
                    commitOptimistic(group);
                } else {
                    commit(group);
                }
            } catch (RuntimeException | Error e) {
                // Whatever went wrong, no caller may wait forever and the writer must live on:
                // otherwise every later write would hang. (Completing a completed future is a no-op.)
                group.forEach(p -> p.done().completeExceptionally(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    // ---- SQLite, and PostgreSQL's second try: a savepoint per write

    private void commit(List<Pending<?>> group) {
        List<Runnable> completions = new ArrayList<>(group.size());
        boolean rerunAlone = false;
        try (Handle h = jdbi.open()) {
            h.begin();
            try {
                if (group.size() == 1 && !runAlone(h, group.getFirst(), completions)) {
                    h.rollback();
                } else {
                    for (int i = completions.size(); i < group.size(); i++) {
                        completions.add(runInSavepoint(h, group.get(i), "w" + i));
                    }
                    h.commit();
                }
            } catch (Transient e) {
                h.rollback();
                rerunAlone = true;
            }
        } catch (RuntimeException e) {
            if (!optimistic || !isTransient(e)) {
                // the commit itself failed: nothing of the group is durable, so every caller fails
                failAll(group, e);
                return;
            }
            rerunAlone = true;
        }
        if (rerunAlone) {
            eachAlone(group);
        } else {
            completions.forEach(Runnable::run);
        }
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

    private <T> Runnable runInSavepoint(Handle h, Pending<T> p, String name) {
        h.savepoint(name);
        try {
            T result = p.work().withHandle(h);
            h.releaseSavepoint(name);
            return () -> p.done().complete(result);
        } catch (RuntimeException | Error e) {
            if (optimistic && e instanceof RuntimeException r && isTransient(r)) {
                // the locks of the writes before it are still held: the same deadlock would
                // come back, so the whole group goes the slow way
                throw new Transient(r);
            }
            if (optimistic && e instanceof RuntimeException r && isConnectionLost(r)) {
                throw r; // no savepoint to go back to: the group fails
            }
            // JDBI forgets a savepoint once rolled back to; the transaction's commit ends it
            h.rollbackToSavepoint(name);
            return () -> p.done().completeExceptionally(e);
        }
    }

    // ---- PostgreSQL

    private void commitOptimistic(List<Pending<?>> group) {
        List<Runnable> completions = new ArrayList<>(group.size());
        Throwable failure = null;
        try (Handle h = jdbi.open()) {
            h.begin();
            try {
                for (Pending<?> p : group) {
                    completions.add(run(h, p));
                }
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            if (failure == null) {
                h.commit();
            } else {
                h.rollback();
            }
        } catch (RuntimeException e) {
            // no connection, or BEGIN, COMMIT or ROLLBACK failed: nothing was acknowledged yet.
            // A rollback after a lost connection only says "closed": the write's error says why.
            RuntimeException cause = failure instanceof RuntimeException r && isConnectionLost(r) ? r : e;
            if (isTransient(cause)) {
                eachAlone(group);
            } else {
                failAll(group, cause);
            }
            return;
        }
        if (failure == null) {
            completions.forEach(Runnable::run);
        } else if (isTransient(failure)) {
            eachAlone(group);
        } else if (failure instanceof RuntimeException r && isConnectionLost(r)) {
            failAll(group, r);
        } else if (group.size() == 1) {
            // alone in its (rolled back) transaction: its failure is its answer, as without grouping
            group.getFirst().done().completeExceptionally(failure);
        } else {
            commit(group);
        }
    }

    private static <T> Runnable run(Handle h, Pending<T> p) {
        T result = p.work().withHandle(h);
        return () -> p.done().complete(result);
    }

    private void eachAlone(List<Pending<?>> group) {
        for (Pending<?> p : group) {
            runInOwnTransaction(p);
        }
    }

    private <T> void runInOwnTransaction(Pending<T> p) {
        for (int attempt = 1; ; attempt++) {
            try {
                p.done().complete(jdbi.inTransaction(p.work()));
                return;
            } catch (RuntimeException e) {
                if (attempt >= ALONE_ATTEMPTS || !isTransient(e)) {
                    p.done().completeExceptionally(isConnectionLost(e) ? connectionLost(e) : e);
                    return;
                }
                backOff(attempt);
            } catch (Error e) {
                p.done().completeExceptionally(e);
                return;
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            // random, so that two replicas retrying the same rows do not collide again in step
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void failAll(List<Pending<?>> group, RuntimeException e) {
        RuntimeException answer = isConnectionLost(e) ? connectionLost(e) : e;
        group.forEach(p -> p.done().completeExceptionally(answer));
    }

    /**
     * The connection broke: the group's writes were not saved, or (if it broke during COMMIT) the
     * server cannot know; either way none is acknowledged, and the client may retry.
     */
    private static MlflowException connectionLost(RuntimeException e) {
        MlflowException answer = new MlflowException(
                ErrorCode.TEMPORARILY_UNAVAILABLE,
                "Lost the connection to the database during this write, so it may not have been saved;" + " retry it ("
                        + rootMessage(e) + ")");
        answer.initCause(e);
        return answer;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage()).lines().findFirst().orElse("");
    }

    /** A deadlock or serialization failure: the transaction was rolled back and may simply be run again. */
    static boolean isTransient(Throwable e) {
        String state = sqlState(e);
        return "40P01".equals(state) || "40001".equals(state);
    }

    /** Connection failures (class 08), or the server ending the session (57P01-57P03). */
    static boolean isConnectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        String state = sqlState(e);
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
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
