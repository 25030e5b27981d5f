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
 * <p>{@link FreshDatabase#uri()} is a backend URI a whole server accepts ({@code --backend-store-uri}),
 * for tests that start one.
 */
public final class StoreBackends {
    public static final String SQLITE = "sqlite";
    public static final String POSTGRES = "postgres";
    public static final List<String> ALL = List.of(SQLITE, POSTGRES);

    private StoreBackends() {}

    /** A new, empty (not yet migrated) database of this backend; close it to drop it. */
    public static FreshDatabase create(String backend, Path dir) {
        return switch (backend) {
            case SQLITE ->
                new FreshDatabase("sqlite:///" + dir.resolve("reprise-test.db").toAbsolutePath(), dir);
            case POSTGRES -> createPostgres(dir);
            default -> throw new IllegalArgumentException("unknown backend '" + backend + "'; use one of " + ALL);
        };
    }

    private static FreshDatabase createPostgres(Path dir) {
        URI server = URI.create(PostgresServer.url());
        String name = randomName("reprise_t_");
        // A copy of a migrated template, so each test skips the migrations; FILE_COPY, because with
        // fsync off it is faster than the default WAL_LOG (measured: about 200 ms against 300 ms for a
        // test's create, open and drop).
        admin(server, "CREATE DATABASE " + name + " TEMPLATE " + MigratedTemplate.NAME + MigratedTemplate.STRATEGY);
        String uri = server.getScheme() + "://" + server.getRawAuthority() + "/" + name;
        return new FreshDatabase(uri, dir, () -> admin(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    private static String randomName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /**
     * A database with the schema migrated but no rows (the store inserts the default experiment when
     * it opens), made once per JVM and dropped at exit.
     */
    private static final class MigratedTemplate {
        // CREATE DATABASE has a STRATEGY from PostgreSQL 15 on; REPRISE_TEST_PG_URL may name an older one.
        static final String STRATEGY = serverMajorVersion() >= 15 ? " STRATEGY FILE_COPY" : "";
        static final String NAME = create();

        private static String create() {
            URI server = URI.create(PostgresServer.url());
            String name = randomName("reprise_tpl_");
            admin(server, "CREATE DATABASE " + name + STRATEGY);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    admin(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                } catch (RuntimeException e) {
                    // The server may be gone already; a leftover template is harmless.
                }
            }));
            URI db = server.resolve("/" + name);
            Flyway.configure()
                    .dataSource(jdbcUrl(db), user(db), password(db))
                    .locations(Dialect.POSTGRES.migrations())
                    .loggers("slf4j")
                    .load()
                    .migrate();
            return name;
        }
    }

    /** The PostgreSQL server URL the tests use, starting the server if needed. */
    public static String postgresServerUrl() {
        return PostgresServer.url();
    }

    private static int serverMajorVersion() {
        URI server = URI.create(PostgresServer.url());
        try (Connection c = DriverManager.getConnection(jdbcUrl(server), user(server), password(server))) {
            return c.getMetaData().getDatabaseMajorVersion();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to PostgreSQL at " + server + ": " + e.getMessage(), e);
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

    static String jdbcUrl(URI u) {
        int port = u.getPort() > 0 ? u.getPort() : 5432;
        return "jdbc:postgresql://" + u.getHost() + ":" + port + u.getRawPath();
    }

    private static String user(URI u) {
        String info = u.getUserInfo();
        return info == null ? System.getProperty("user.name") : info.split(":", 2)[0];
    }

    private static String password(URI u) {
        String info = u.getUserInfo();
        return info == null || !info.contains(":") ? "" : info.split(":", 2)[1];
    }

    /** The shared server: looked up (and the script run) once per JVM; a failure is kept and re-thrown. */
    private static final class PostgresServer {
        private static final String URL_OR_ERROR = locate();
        private static final String ERROR = "!";

        static String url() {
            if (URL_OR_ERROR.startsWith(ERROR)) {
                throw new IllegalStateException(URL_OR_ERROR.substring(1));
            }
            return URL_OR_ERROR;
        }

        private static String locate() {
            String env = System.getenv("REPRISE_TEST_PG_URL");
            if (env != null && !env.isBlank()) {
                return env.trim();
            }
            Path script = Path.of(System.getProperty("basedir", "."), "scripts", "postgres-test-server.sh");
            try {
                return runScript(script);
            } catch (IOException | RuntimeException e) {
                return ERROR + "PostgreSQL tests need a server: running " + script + " failed: " + e.getMessage()
                        + ". Fix that, or set REPRISE_TEST_PG_URL=postgresql://user@host:port/postgres.";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ERROR + "interrupted while starting PostgreSQL";
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
