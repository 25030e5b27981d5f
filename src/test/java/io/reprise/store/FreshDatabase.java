package io.reprise.store;

import java.nio.file.Path;

/**
 * One test's database (see {@link StoreBackends}): its backend URI and the store opened on it.
 * Closing closes the store and drops the database.
 */
public final class FreshDatabase implements AutoCloseable {
    private final String uri;
    private final String artifactRoot;
    private final Runnable drop;
    private TrackingStore store;

    FreshDatabase(String uri, Path dir) {
        this(uri, dir, () -> {});
    }

    FreshDatabase(String uri, Path dir, Runnable drop) {
        this.uri = uri;
        this.artifactRoot = dir.resolve("artifacts").toAbsolutePath().toString();
        this.drop = drop;
    }

    /** The backend URI, as {@code --backend-store-uri} takes it. */
    public String uri() {
        return uri;
    }

    /** The default artifact root the store was opened with. */
    public String artifactRoot() {
        return artifactRoot;
    }

    /** The store on this database, opened (and migrated) on first use. */
    public TrackingStore store() {
        if (store == null) {
            store = StoreFactory.open(uri, artifactRoot);
        }
        return store;
    }

    /** Closes the store and opens a new one on the same database, as a restarted server would. */
    public TrackingStore reopen() {
        closeStore();
        return store();
    }

    private void closeStore() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    @Override
    public void close() {
        try {
            closeStore();
        } finally {
            drop.run();
        }
    }
}
