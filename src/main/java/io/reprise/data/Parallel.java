package io.reprise.data;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one piece of work per index on a few platform threads, each taking the next index from a
 * shared counter: no task object, future or queue hand-off per item. For 20,000 small objects a
 * pool's queue and futures cost about two futex calls and a thread wake-up per object.
 */
final class Parallel {
    private Parallel() {}

    /**
     * The item to take {@code i}-th out of {@code n} so that items taken one after the other lie far
     * apart: the list is cut into {@code ways} stripes, read in turn (a bijection of 0..n-1). Lists
     * grouped by folder (objects by their two-letter folder, a manifest's files by path) would
     * otherwise have all threads creating files in the same folder at once, and each create and
     * rename takes the folder's lock: 4% of pull's CPU went to spinning on it.
     */
    static int spread(int i, int n, int ways) {
        int q = n / ways;
        int r = n % ways;
        int stripe;
        int pos;
        if (i < q * ways) {
            stripe = i % ways;
            pos = i / ways;
        } else {
            stripe = i - q * ways; // the last round: only the first r stripes have one more
            pos = q;
        }
        return stripe * q + Math.min(stripe, r) + pos;
    }

    /** Stripes for {@link #spread} on {@code threads} threads: odd, so drifting threads rarely meet. */
    static int ways(int threads) {
        return 4 * threads - 1;
    }

    /** The work for index {@code i}. */
    interface Body {
        void run(int i) throws IOException;
    }

    /**
     * Runs {@code body} for 0..n-1 on {@code threads} threads (the caller's among them). The first
     * failure stops the others from starting more and is thrown once all have stopped.
     */
    static void forEach(int threads, int n, String name, Body body) throws IOException {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int i; failure.get() == null && (i = next.getAndIncrement()) < n; ) {
                try {
                    body.run(i);
                } catch (IOException | RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        int extra = Math.max(0, Math.min(threads, n) - 1);
        Thread[] helpers = new Thread[extra];
        for (int k = 0; k < extra; k++) {
            helpers[k] = Thread.ofPlatform().name(name).daemon().start(worker);
        }
        worker.run();
        try {
            for (Thread t : helpers) {
                t.join();
            }
        } catch (InterruptedException e) {
            failure.compareAndSet(null, e);
            Thread.currentThread().interrupt();
            throw new DataException("Interrupted.", e);
        }
        switch (failure.get()) {
            case null -> {}
            case IOException io -> throw io;
            case RuntimeException r -> throw r;
            case Error err -> throw err;
            case Throwable other -> throw new IllegalStateException(other);
        }
    }
}
