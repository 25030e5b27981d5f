package io.reprise.store;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Fresh, real databases for tests, one per test, on SQLite or PostgreSQL.
 *
 * <ul>
 *   <li>{@code "sqlite"}: a new database file in the test's temporary folder.
 *   <li>{@code "postgres"}: a database of its own on a shared PostgreSQL server, empty and migrated,
 *       that no other test uses while it is open (see {@link PostgresDatabases}). The server is
 *       {@code REPRISE_TEST_PG_URL} (for example {@code postgresql://postgres@127.0.0.1:55432/postgres};
 *       {@code ./test} sets it), else the one {@code scripts/postgres-test-server.sh} installs and
 *       starts, once per JVM. If neither works, every PostgreSQL test fails saying why: the
 *       PostgreSQL half never skips silently.
 * </ul>
 *
 * <p>To run a test class against both backends:
 *
 * <pre>{@code
 * @ParameterizedClass
 * @ValueSource(strings = {"sqlite", "postgres"})
 * class MyStoreTest {
 *     @Parameter
 *     String backend;
 *
 *     @TempDir
 *     Path dir;
 *
 *     @AutoClose
 *     FreshDatabase db;
 *
 *     TrackingStore store;
 *
 *     @BeforeEach
 *     void open() {
 *         db = StoreBackends.create(backend, dir);
 *         store = db.store();
 *     }
 * }
 * }</pre>
 *
 * <p>{@link StoreTestBase} is that fixture, with helpers, for tests to extend. {@link
 * FreshDatabase#uri()} is a backend URI a whole server accepts ({@code --backend-store-uri}),
 * for tests that start one.
 */
public final class StoreBackends {
    public static final String SQLITE = "sqlite";
    public static final String POSTGRES = "postgres";
    public static final List<String> ALL = List.of(SQLITE, POSTGRES);

    private StoreBackends() {}

    /** A new database of this backend, migrated when its store is first opened; close it when done. */
    public static FreshDatabase create(String backend, Path dir) {
        return switch (backend) {
            case SQLITE -> {
                String name = "reprise-" + UUID.randomUUID().toString().replace("-", "") + ".db";
                yield new FreshDatabase("sqlite:///" + dir.resolve(name).toAbsolutePath(), dir);
            }
            case POSTGRES -> PostgresDatabases.get().take(dir);
            default -> throw new IllegalArgumentException("unknown backend '" + backend + "'; use one of " + ALL);
        };
    }

    /** The URL of the PostgreSQL server the tests use (its {@code postgres} database), started if needed. */
    public static String postgresServerUrl() {
        return PostgresDatabases.get().serverUrl();
    }
}
