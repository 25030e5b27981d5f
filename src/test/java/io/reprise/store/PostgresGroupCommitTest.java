package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.model.ErrorCode;
import io.reprise.model.MlflowException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.HandleCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL's group commit: one transaction per group, a deadlock with another replica's group
 * retried write by write, and a lost connection failing the group's writes instead of hanging them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresGroupCommitTest {
    @TempDir
    Path dir;

    @AutoClose
    FreshDatabase db;

    @AutoClose
    ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

    JdbcTrackingStore store;

    @BeforeEach
    void open() {
        db = StoreBackends.create(StoreBackends.POSTGRES, dir);
        store = (JdbcTrackingStore) db.store();
        // the database is reused by later tests: drop what an earlier run left
        store.write(h -> h.execute("DROP TABLE IF EXISTS counters"));
        store.write(h -> h.execute("CREATE TABLE counters (id INT PRIMARY KEY, n INT NOT NULL)"));
        store.write(h -> h.execute("INSERT INTO counters VALUES (1, 0), (2, 0)"));
    }

    @Test
    void concurrentWritesShareOneTransactionAndAllCommit() throws Exception {
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        try (WriterGate gate = WriterGate.close(store)) {
            for (int i = 0; i < 32; i++) {
                writes.add(submit(store, h -> {
                    h.execute("UPDATE counters SET n = n + 1 WHERE id = 1");
                    return h.createQuery("SELECT txid_current()")
                            .mapTo(Long.class)
                            .one();
                }));
            }
            gate.openWhenQueued(32);
        }
        List<Long> transactions = writes.stream().map(CompletableFuture::join).toList();
        assertThat(transactions).hasSize(32).containsOnly(transactions.getFirst());
        assertThat(counter(store, 1)).isEqualTo(32);
    }

    @Test
    void aDeadlockWithAnotherReplicasGroupIsRetriedWriteByWrite() throws Exception {
        try (JdbcTrackingStore other = (JdbcTrackingStore) StoreFactory.open(db.uri(), db.artifactRoot())) {
            AtomicInteger runs = new AtomicInteger();
            List<CompletableFuture<Integer>> writes = new ArrayList<>();
            // Each replica's group updates both rows, in opposite orders, pausing in between so that
            // both groups hold their first row when they ask for the second: a deadlock.
            try (WriterGate gateA = WriterGate.close(store);
                    WriterGate gateB = WriterGate.close(other)) {
                writes.add(submit(store, increment(1, runs, true)));
                writes.add(submit(other, increment(2, runs, true)));
                waitQueued(store, 1);
                waitQueued(other, 1);
                writes.add(submit(store, increment(2, runs, false)));
                writes.add(submit(other, increment(1, runs, false)));
                gateA.openWhenQueued(2);
                gateB.openWhenQueued(2);
            }
            assertThat(writes).allSatisfy(w -> assertThat(w.join()).isEqualTo(1));
            // every write applied exactly once, although the deadlock victim's group ran twice
            assertThat(counter(store, 1)).isEqualTo(2);
            assertThat(counter(store, 2)).isEqualTo(2);
            assertThat(runs.get()).isGreaterThan(4);
        }
    }

    @Test
    void aLostConnectionFailsEveryWriteOfTheGroupAndTheNextWriteWorks() throws Exception {
        CompletableFuture<Integer> fine;
        CompletableFuture<Boolean> killer;
        try (WriterGate gate = WriterGate.close(store)) {
            fine = submit(store, h -> h.execute("UPDATE counters SET n = n + 1 WHERE id = 1"));
            killer = submit(
                    store,
                    h -> h.createQuery("SELECT pg_terminate_backend(pg_backend_pid())")
                            .mapTo(Boolean.class)
                            .one());
            gate.openWhenQueued(2);
        }
        for (CompletableFuture<?> write : List.of(fine, killer)) {
            Throwable e =
                    write.handle((ok, t) -> t == null ? null : t.getCause()).join();
            assertThat(e)
                    .isInstanceOfSatisfying(
                            MlflowException.class,
                            m -> assertThat(m.code()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE))
                    .hasMessageStartingWith("Lost the connection to the database during this write");
        }
        assertThat(counter(store, 1)).isZero();
        store.write(h -> h.execute("UPDATE counters SET n = n + 1 WHERE id = 1"));
        assertThat(counter(store, 1)).isEqualTo(1);
    }

    @AfterEach
    void dropTable() {
        store.write(h -> h.execute("DROP TABLE IF EXISTS counters"));
    }

    private static HandleCallback<Integer, RuntimeException> increment(int id, AtomicInteger runs, boolean pause) {
        return h -> {
            runs.incrementAndGet();
            int n = h.execute("UPDATE counters SET n = n + 1 WHERE id = ?", id);
            if (pause) {
                h.execute("SELECT pg_sleep(0.5)");
            }
            return n;
        };
    }

    private <T> CompletableFuture<T> submit(JdbcTrackingStore target, HandleCallback<T, RuntimeException> work) {
        return CompletableFuture.supplyAsync(() -> target.write(work), clients);
    }

    private static void waitQueued(JdbcTrackingStore target, int writes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (target.queuedWrites() < writes && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(target.queuedWrites()).isEqualTo(writes);
    }

    private static int counter(JdbcTrackingStore target, int id) {
        return target.read(h -> h.createQuery("SELECT n FROM counters WHERE id = :id")
                .bind("id", id)
                .mapTo(Integer.class)
                .one());
    }
}
