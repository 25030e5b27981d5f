package io.reprise.store;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;

/**
 * Fresh, real databases for tests, one per test, on SQLite or PostgreSQL.
 *
 * <ul>
 *   <li>{@code "sqlite"}: a new database file in the test's temporary folder.
 *   <li>{@code "postgres"}: a new database with a random name on a shared PostgreSQL server, dropped on
 *       close. The server is {@code REPRISE_TEST_PG_URL} (for example
 *       {@code postgresql://postgres@127.0.0.1:55432/postgres}; {@code ./test} sets it), else the one
 *       {@code scripts/postgres-test-server.sh} installs and starts, once per JVM. If neither works,
 *       every PostgreSQL test fails saying why: the PostgreSQL half never skips silently.
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

    /** A new database of this backend, migrated when its store is first opened; close it to drop it. */
    public static FreshDatabase create(String backend, Path dir) {
        return switch (backend) {
            case SQLITE ->
                new FreshDatabase(
                        "sqlite:///"
                                + dir.resolve(randomName("reprise-") + ".db").toAbsolutePath(),
                        dir);
            case POSTGRES -> SharedPostgres.get().createDatabase(dir);
            default -> throw new IllegalArgumentException("unknown backend '" + backend + "'; use one of " + ALL);
        };
    }

    /** The URL of the PostgreSQL server the tests use (its {@code postgres} database), started if needed. */
    public static String postgresServerUrl() {
        return SharedPostgres.get().server().toString();
    }

    private static String randomName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /**
     * The server and a database with the schema migrated but no rows (the store inserts the default
     * experiment when it opens), set up once per JVM; the template is dropped at exit.
     */
    private record SharedPostgres(URI server, String template, String strategy) {
        private static SharedPostgres instance;
        private static RuntimeException failure;

        /** The shared server, or the same clear failure in every test when it cannot be had. */
        static synchronized SharedPostgres get() {
            if (instance == null && failure == null) {
                try {
                    instance = setUp();
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw new IllegalStateException(failure.getMessage(), failure);
            }
            return instance;
        }

        private static SharedPostgres setUp() {
            URI server = URI.create(PostgresServer.locate());
            // CREATE DATABASE has a STRATEGY from PostgreSQL 15 on; REPRISE_TEST_PG_URL may name an older one.
            // FILE_COPY, because with fsync off it is faster than the default WAL_LOG (measured: about
            // 200 ms against 300 ms for a test's create, open and drop).
            String strategy = majorVersion(server) >= 15 ? " STRATEGY FILE_COPY" : "";
            String template = randomName("reprise_tpl_");
            admin(server, "CREATE DATABASE " + template + strategy);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    drop(server, template);
                } catch (RuntimeException e) {
                    // The server may be gone already; a leftover template is harmless.
                }
            }));
            URI db = withDatabase(server, template);
            Flyway.configure()
                    .dataSource(jdbcUrl(db), user(db), password(db))
                    .locations(Dialect.POSTGRES.migrations())
                    .loggers("slf4j")
                    .load()
                    .migrate();
            return new SharedPostgres(server, template, strategy);
        }

        /** A copy of the migrated template, so each test skips the migrations. */
        FreshDatabase createDatabase(Path dir) {
            String name = randomName("reprise_t_");
            admin(server, "CREATE DATABASE " + name + " TEMPLATE " + template + strategy);
            return new FreshDatabase(withDatabase(server, name).toString(), dir, () -> drop(server, name));
        }

        private static void drop(URI server, String name) {
            admin(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }

        private static int majorVersion(URI server) {
            try (Connection c = DriverManager.getConnection(jdbcUrl(server), user(server), password(server))) {
                return c.getMetaData().getDatabaseMajorVersion();
            } catch (SQLException e) {
                throw new IllegalStateException(
                        "PostgreSQL tests cannot connect to " + server + ": " + e.getMessage()
                                + " (is REPRISE_TEST_PG_URL right?)",
                        e);
            }
        }
    }

    private static void admin(URI server, String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(server), user(server), password(server));
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + server + " refused '" + sql + "': " + e.getMessage(), e);
        }
    }

    /** The server's URL with another database. */
    private static URI withDatabase(URI server, String database) {
        String query = server.getRawQuery() == null ? "" : "?" + server.getRawQuery();
        return URI.create(server.getScheme() + "://" + server.getRawAuthority() + "/" + database + query);
    }

    static String jdbcUrl(URI u) {
        int port = u.getPort() > 0 ? u.getPort() : 5432;
        String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
        return "jdbc:postgresql://" + u.getHost() + ":" + port + u.getRawPath() + query;
    }

    private static String user(URI u) {
        String info = u.getUserInfo();
        return info == null ? System.getProperty("user.name") : info.split(":", 2)[0];
    }

    private static String password(URI u) {
        String info = u.getUserInfo();
        return info == null || !info.contains(":") ? "" : info.split(":", 2)[1];
    }

    /** Finds the server: REPRISE_TEST_PG_URL, else the one scripts/postgres-test-server.sh starts. */
    private static final class PostgresServer {
        private PostgresServer() {}

        static String locate() {
            String env = System.getenv("REPRISE_TEST_PG_URL");
            if (env != null && !env.isBlank()) {
                return env.trim();
            }
            Path script = Path.of(System.getProperty("basedir", "."), "scripts", "postgres-test-server.sh");
            try {
                return runScript(script);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(
                        "PostgreSQL tests need a server: running " + script + " failed: " + e.getMessage()
                                + ". Fix that, or set REPRISE_TEST_PG_URL=postgresql://user@host:port/postgres.",
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting PostgreSQL", e);
            }
        }

        private static String runScript(Path script) throws IOException, InterruptedException {
            Path log = Files.createTempFile("reprise-pg", ".log");
            try {
                Process p = new ProcessBuilder("bash", script.toString())
                        .redirectError(log.toFile())
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                // The first run may apt-get install PostgreSQL: allow minutes, not hours.
                if (!p.waitFor(10, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("it did not finish in 10 minutes");
                }
                String err = Files.readString(log, StandardCharsets.UTF_8).trim();
                if (p.exitValue() != 0 || !out.startsWith("postgres")) {
                    throw new IllegalStateException("exit " + p.exitValue() + ", output '" + out + "', errors: " + err);
                }
                return out;
            } finally {
                Files.deleteIfExists(log);
            }
        }
    }
}
