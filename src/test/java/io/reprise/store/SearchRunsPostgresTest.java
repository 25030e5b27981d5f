package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search-runs contract on a fresh PostgreSQL database. */
class SearchRunsPostgresTest extends SearchRunsContract {
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

    @Test
    void likeEscapesWithABackslash() {
        // PostgreSQL's LIKE escapes with a backslash (SQLite's has no escape: see the SQLite suite)
        assertThat(names("params.model LIKE '%\\_%'", List.of())).containsExactly("r5");
    }
}
