package io.reprise.store;

import static io.reprise.model.ErrorCode.INVALID_PARAMETER_VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reprise.model.MlflowException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening stores from backend URIs, and what a user sees for a wrong one. */
class StoreFactoryTest {
    @TempDir
    Path dir;

    private static void assertRefused(String uri, String message) {
        assertThatThrownBy(() -> StoreFactory.open(uri, "/artifacts"))
                .isInstanceOfSatisfying(MlflowException.class, e -> {
                    assertThat(e.code()).isEqualTo(INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void unsupportedOrMemoryOnlyUrisAreRefused() {
        assertRefused(
                "mysql+pymysql://root:secret@localhost/db",
                "Unsupported backend store URI 'mysql+pymysql://root:***@localhost/db'. Use sqlite:///path/to/file.db"
                        + " or postgresql://user:password@host:port/database");
        assertRefused(
                "postgresql:///db",
                "PostgreSQL URI 'postgresql:///db' names no host: write postgresql://user:password@host:port/database");
        assertRefused(
                "sqlite://x.db",
                "Invalid SQLite URI 'sqlite://x.db': write sqlite:///relative/path.db or sqlite:////absolute/path.db");
        assertRefused(
                "sqlite:///:memory:",
                "SQLite URI 'sqlite:///:memory:' names no file; an in-memory store loses every run");
    }

    @Test
    void sqliteFileAndItsFoldersAreCreatedAndTheRootLosesATrailingSlash() {
        Path file = dir.resolve("a/b/reprise.db");
        try (TrackingStore store = StoreFactory.open("sqlite:///" + file, "s3://bucket/root/")) {
            assertThat(store.getExperiment("0").artifactLocation()).isEqualTo("s3://bucket/root/0");
            String id = store.createExperiment("e", null, List.of());
            assertThat(store.getExperiment(id).artifactLocation()).isEqualTo("s3://bucket/root/" + id);
        }
        assertThat(file).exists();
    }

    @Test
    void sqliteWritesKeepTheirTempStorageInMemoryAndReadsDoNot() {
        // 2 = MEMORY: the group commit's statement journals; 0 = DEFAULT (files): large sorts of reads
        try (JdbcTrackingStore store =
                (JdbcTrackingStore) StoreFactory.open("sqlite:///" + dir.resolve("t.db"), "/a")) {
            int writes = store.write(
                    h -> h.createQuery("PRAGMA temp_store").mapTo(Integer.class).one());
            int reads = store.read(
                    h -> h.createQuery("PRAGMA temp_store").mapTo(Integer.class).one());
            assertThat(writes).isEqualTo(2);
            assertThat(reads).isEqualTo(0);
        }
    }

    @Test
    void aMissingPostgresDatabaseIsNamedInTheErrorAndThePasswordIsNot() {
        String server = StoreBackends.postgresServerUrl();
        String uri = server.substring(0, server.lastIndexOf('/')) + "/reprise_no_such_database";
        String withPassword = uri.replace("postgres@", "postgres:secret@");
        assertThatThrownBy(() -> StoreFactory.open(withPassword, "/artifacts"))
                .hasMessage("Cannot open the backend store " + withPassword.replace(":secret@", ":***@"))
                .hasStackTraceContaining("database \"reprise_no_such_database\" does not exist")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void sqlAlchemyDriverNamesAsMlflowUsersWriteThemAreAccepted() {
        try (FreshDatabase db = StoreBackends.create(StoreBackends.POSTGRES, dir);
                TrackingStore store =
                        StoreFactory.open(db.uri().replace("postgresql://", "postgresql+psycopg2://"), "/a")) {
            assertThat(store.getExperiment("0").name()).isEqualTo("Default");
        }
        try (TrackingStore store = StoreFactory.open("sqlite+pysqlite:///" + dir.resolve("x.db"), "/a")) {
            assertThat(store.getExperiment("0").name()).isEqualTo("Default");
        }
    }
}
