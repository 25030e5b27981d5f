package io.reprise.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/** The search-experiments contract on a fresh PostgreSQL database. */
class SearchExperimentsPostgresTest extends SearchExperimentsContract {
    @TempDir
    static Path dir;

    private FreshDatabase db;

    @Override
    protected TrackingStore newStore() {
        db = StoreBackends.create(StoreBackends.POSTGRES, dir);
        return db.store();
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }
}
