package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a store's group-commit writer inside a write of its own, so that the writes submitted
 * meanwhile queue up and then run as one group.
 */
final class WriterGate implements AutoCloseable {
    private final JdbcTrackingStore store;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread holder;

    private WriterGate(JdbcTrackingStore store) {
        this.store = store;
        this.holder = Thread.ofVirtual()
                .start(() -> store.write(h -> {
                    held.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }));
    }

    /** Returns once the writer is held. */
    static WriterGate close(JdbcTrackingStore store) throws InterruptedException {
        WriterGate gate = new WriterGate(store);
        assertThat(gate.held.await(10, TimeUnit.SECONDS)).as("writer held").isTrue();
        return gate;
    }

    /** Waits until {@code writes} writes are queued behind the gate, then lets them run. */
    void openWhenQueued(int writes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (store.queuedWrites() < writes && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(store.queuedWrites()).as("writes queued behind the gate").isEqualTo(writes);
        close();
    }

    @Override
    public void close() {
        release.countDown();
        try {
            holder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
