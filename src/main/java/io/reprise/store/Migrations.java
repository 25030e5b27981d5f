package io.reprise.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings the schema up to date. Loading Flyway and scanning its migrations costs a quarter to half
 * a second of start-up, so a store whose history already ends at {@link #LATEST} is left alone,
 * and a new, empty database (a new SQLite file, or a PostgreSQL schema without tables) gets every
 * migration in one transaction here, with the history table and rows Flyway itself would have
 * written (same checksums: a later Flyway run validates them). Older databases go through Flyway.
 */
final class Migrations {
    /** The migrations under {@code db/sqlite} and {@code db/postgres}, in order; V1 is the first. */
    static final List<String> SCRIPTS = List.of(
            "V1__tracking.sql",
            "V2__search_indexes.sql",
            "V3__long_values.sql",
            "V4__without_rowid.sql",
            "V5__logged_models.sql",
            "V6__latest_metrics_by_experiment.sql");

    /** The highest migration version. */
    static final int LATEST = SCRIPTS.size();

    // the history table on SQLite as Flyway creates it
    private static final String SQLITE_HISTORY_TABLE = """
            CREATE TABLE "flyway_schema_history" (
                "installed_rank" INT NOT NULL PRIMARY KEY,
                "version" VARCHAR(50),
                "description" VARCHAR(200) NOT NULL,
                "type" VARCHAR(20) NOT NULL,
                "script" VARCHAR(1000) NOT NULL,
                "checksum" INT,
                "installed_by" VARCHAR(100) NOT NULL,
                "installed_on" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
                "execution_time" INT NOT NULL,
                "success" BOOLEAN NOT NULL
            );
            CREATE INDEX "flyway_schema_history_s_idx" ON "flyway_schema_history" ("success");""";

    // the same on PostgreSQL (Flyway's PostgreSQLDatabase.getRawCreateScript, in the current schema)
    private static final String POSTGRES_HISTORY_TABLE = """
            CREATE TABLE "flyway_schema_history" (
                "installed_rank" INT NOT NULL,
                "version" VARCHAR(50),
                "description" VARCHAR(200) NOT NULL,
                "type" VARCHAR(20) NOT NULL,
                "script" VARCHAR(1000) NOT NULL,
                "checksum" INTEGER,
                "installed_by" VARCHAR(100) NOT NULL,
                "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
                "execution_time" INTEGER NOT NULL,
                "success" BOOLEAN NOT NULL
            );
            ALTER TABLE "flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");
            CREATE INDEX "flyway_schema_history_s_idx" ON "flyway_schema_history" ("success");""";

    /**
     * Replicas starting together on a new PostgreSQL database take this transaction-scoped advisory
     * lock before looking for tables, so one creates the schema and the others then find it made.
     */
    private static final long POSTGRES_CREATE_LOCK = 0x5265707269736531L; // "Reprise1"

    private Migrations() {}

    static void apply(DataSource ds, Dialect dialect) {
        int installed = installedVersion(ds);
        if (installed == LATEST || (installed == -1 && createFresh(ds, dialect))) {
            return;
        }
        Flyway.configure()
                .dataSource(ds)
                .locations(dialect.migrations())
                .loggers("slf4j")
                .load()
                .migrate();
    }

    /** The highest successfully applied version, or -1 for a database Flyway has not touched. */
    static int installedVersion(DataSource ds) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success")) {
            int max = -1;
            while (rs.next()) {
                String version = rs.getString(1);
                if (version != null && version.chars().allMatch(Character::isDigit)) {
                    max = Math.max(max, Integer.parseInt(version));
                }
            }
            return max;
        } catch (SQLException e) {
            return -1; // no history table yet: a fresh database
        }
    }

    /**
     * Applies every migration to a database that has no table at all, in one transaction; false
     * (nothing done) when it has some, for Flyway to sort out. On SQLite the transaction takes the
     * write lock first, on PostgreSQL an advisory lock, so a second server starting on the same new
     * database waits and then finds it done.
     */
    private static boolean createFresh(DataSource ds, Dialect dialect) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false); // on SQLite BEGIN IMMEDIATE: the store's transactions take the write lock
            try (Statement s = c.createStatement()) {
                if (!lockedAndEmpty(s, dialect)) {
                    c.rollback();
                    return false;
                }
                runScript(s, dialect, dialect == Dialect.SQLITE ? SQLITE_HISTORY_TABLE : POSTGRES_HISTORY_TABLE);
                writeEveryMigration(c, s, dialect);
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the schema: " + e.getMessage(), e);
        }
    }

    private static boolean lockedAndEmpty(Statement s, Dialect dialect) throws SQLException {
        String tables = "SELECT count(*) FROM sqlite_master";
        if (dialect == Dialect.POSTGRES) {
            s.executeQuery("SELECT pg_advisory_xact_lock(" + POSTGRES_CREATE_LOCK + ")")
                    .close();
            tables = "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = current_schema()";
        }
        try (ResultSet rs = s.executeQuery(tables)) {
            return rs.next() && rs.getInt(1) == 0;
        }
    }

    private static void writeEveryMigration(Connection c, Statement s, Dialect dialect) throws SQLException {
        String installedBy = dialect == Dialect.SQLITE ? "''" : "current_user";
        try (PreparedStatement history = c.prepareStatement("""
                INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,
                                                   checksum, installed_by, execution_time, success)
                VALUES (?, ?, ?, 'SQL', ?, ?, %s, ?, true)""".formatted(installedBy))) {
            for (int v = 1; v <= LATEST; v++) {
                String script = SCRIPTS.get(v - 1);
                String sql = read(dialect, script);
                long t0 = System.nanoTime();
                runScript(s, dialect, sql);
                history.setInt(1, v);
                history.setString(2, String.valueOf(v));
                history.setString(3, description(script));
                history.setString(4, script);
                history.setInt(5, checksum(sql));
                history.setLong(6, (System.nanoTime() - t0) / 1_000_000);
                history.executeUpdate();
            }
        }
    }

    /** Runs every statement of a script: sqlite-jdbc does so (sqlite3_exec) only in executeUpdate. */
    private static void runScript(Statement s, Dialect dialect, String sql) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            s.executeUpdate(sql);
        } else {
            s.execute(sql);
        }
    }

    private static String read(Dialect dialect, String script) {
        String path = dialect.migrations().substring("classpath:".length()) + "/" + script;
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("migration " + path + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flyway's description of a script: {@code V4__without_rowid.sql} is "without rowid". */
    static String description(String script) {
        return script.substring(script.indexOf("__") + 2, script.length() - ".sql".length())
                .replace('_', ' ');
    }

    /** Flyway's checksum: CRC-32 over the script's lines without their line breaks (and BOM). */
    static int checksum(String sql) {
        CRC32 crc = new CRC32();
        String text = sql.startsWith("\uFEFF") ? sql.substring(1) : sql;
        text.lines().forEach(line -> crc.update(line.getBytes(StandardCharsets.UTF_8)));
        return (int) crc.getValue();
    }
}
