package io.reprise.store;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Test databases on the shared PostgreSQL server, one per test at a time.
 *
 * <p>Each is a copy of a template migrated once per JVM. A closed test's database is emptied (every
 * row deleted, sequences restarted) and handed to the next test instead of being dropped: that is
 * indistinguishable from a new copy and about 30 times cheaper (CREATE DATABASE measured 300 ms of
 * server CPU, the reset under 10 ms). A database something still connects to is dropped instead.
 * All are dropped when the JVM exits.
 */
final class PostgresDatabases {
    private static PostgresDatabases instance;
    private static RuntimeException failure;

    private final URI server;
    private final String template;
    private final String strategy;
    private final Deque<String> free = new ArrayDeque<>();
    private final Set<String> owned = new HashSet<>();

    private PostgresDatabases(URI server, String template, String strategy) {
        this.server = server;
        this.template = template;
        this.strategy = strategy;
    }

    /** The shared databases, or the same clear failure in every test when there is no server. */
    static synchronized PostgresDatabases get() {
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

    private static PostgresDatabases setUp() {
        URI server = URI.create(locateServer());
        // CREATE DATABASE has a STRATEGY from PostgreSQL 15 on (REPRISE_TEST_PG_URL may name an older
        // one); with fsync off FILE_COPY is the cheaper one.
        String strategy = majorVersion(server) >= 15 ? " STRATEGY FILE_COPY" : "";
        PostgresDatabases dbs = new PostgresDatabases(server, randomName("reprise_tpl_"), strategy);
        dbs.admin("CREATE DATABASE " + dbs.template + strategy);
        dbs.owned.add(dbs.template);
        Runtime.getRuntime().addShutdownHook(new Thread(dbs::dropAll));
        URI db = withDatabase(server, dbs.template);
        Flyway.configure()
                .dataSource(jdbcUrl(db), user(db), password(db))
                .locations(Dialect.POSTGRES.migrations())
                .loggers("slf4j")
                .load()
                .migrate();
        return dbs;
    }

    String serverUrl() {
        return server.toString();
    }

    /** An empty, migrated database for one test; closing it hands it back. */
    FreshDatabase take(Path dir) {
        String name;
        synchronized (this) {
            name = free.poll();
        }
        if (name == null) {
            name = randomName("reprise_t_");
            synchronized (this) {
                owned.add(name);
            }
            admin("CREATE DATABASE " + name + " TEMPLATE " + template + strategy);
        }
        String taken = name;
        return new FreshDatabase(withDatabase(server, taken).toString(), dir, () -> giveBack(taken));
    }

    /** A new database with no tables at all, dropped when the JVM exits. */
    DataSource emptyDatabase() {
        String name = randomName("reprise_e_");
        synchronized (this) {
            owned.add(name);
        }
        admin("CREATE DATABASE " + name + strategy);
        return dataSource(withDatabase(server, name));
    }

    /** The template every test database copies: migrated by Flyway itself. */
    DataSource flywayMigrated() {
        return dataSource(withDatabase(server, template));
    }

    private static DataSource dataSource(URI db) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl(db));
        ds.setUser(user(db));
        ds.setPassword(password(db));
        return ds;
    }

    private void giveBack(String name) {
        boolean reusable;
        try {
            reusable = reset(name);
        } catch (SQLException e) {
            reusable = false;
        }
        if (reusable) {
            synchronized (this) {
                free.push(name);
            }
        } else {
            drop(name);
        }
    }

    /** Empties the database as a new copy of the template is; false if something still uses it. */
    private boolean reset(String name) throws SQLException {
        URI db = withDatabase(server, name);
        try (Connection c = DriverManager.getConnection(jdbcUrl(db), user(db), password(db));
                Statement s = c.createStatement()) {
            if (!aloneIn(s)) {
                return false;
            }
            c.setAutoCommit(false);
            s.execute("SET LOCAL lock_timeout = '5s'");
            for (String table : childrenFirst(s)) {
                s.execute("DELETE FROM " + table);
            }
            s.execute("SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false)"
                    + " FROM pg_sequences WHERE schemaname = current_schema()");
            c.commit();
            return true;
        }
    }

    /** True once no other session uses the database; a closed pool's sessions take a moment to end. */
    private static boolean aloneIn(Statement s) throws SQLException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ResultSet others = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
                others.next();
                if (others.getInt(1) == 0) {
                    return true;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The schema's tables but Flyway's history, each after every table whose foreign keys point at it. */
    private static List<String> childrenFirst(Statement s) throws SQLException {
        Map<String, Set<String>> referencedBy = new HashMap<>();
        try (ResultSet rs = s.executeQuery("SELECT quote_ident(tablename) FROM pg_tables"
                + " WHERE schemaname = current_schema() AND tablename <> 'flyway_schema_history'")) {
            while (rs.next()) {
                referencedBy.put(rs.getString(1), new HashSet<>());
            }
        }
        try (ResultSet rs = s.executeQuery("SELECT conrelid::regclass::text, confrelid::regclass::text"
                + " FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace")) {
            while (rs.next()) {
                if (!rs.getString(1).equals(rs.getString(2))) {
                    referencedBy
                            .computeIfAbsent(rs.getString(2), k -> new HashSet<>())
                            .add(rs.getString(1));
                }
            }
        }
        List<String> order = new ArrayList<>();
        while (order.size() < referencedBy.size()) {
            int before = order.size();
            referencedBy.forEach((table, children) -> {
                if (!order.contains(table) && order.containsAll(children)) {
                    order.add(table);
                }
            });
            if (order.size() == before) {
                throw new SQLException("foreign keys form a cycle among " + referencedBy.keySet());
            }
        }
        return order;
    }

    private void drop(String name) {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        synchronized (this) {
            owned.remove(name);
        }
    }

    private void dropAll() {
        List<String> names;
        synchronized (this) {
            names = new ArrayList<>(owned);
        }
        for (String name : names) {
            try {
                drop(name);
            } catch (RuntimeException e) {
                // The server may be gone already; a leftover test database is harmless.
            }
        }
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(server), user(server), password(server));
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + server + " refused '" + sql + "': " + e.getMessage(), e);
        }
    }

    private static String randomName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
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

    /** The server's URL with another database. */
    private static URI withDatabase(URI server, String database) {
        String query = server.getRawQuery() == null ? "" : "?" + server.getRawQuery();
        return URI.create(server.getScheme() + "://" + server.getRawAuthority() + "/" + database + query);
    }

    private static String jdbcUrl(URI u) {
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

    /** REPRISE_TEST_PG_URL, else the server scripts/postgres-test-server.sh installs and starts. */
    private static String locateServer() {
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
