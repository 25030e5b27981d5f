package io.reprise.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.reprise.model.MlflowException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sqlite.SQLiteConfig;

/** Opens a tracking store from a backend URI: {@code sqlite:///path} or {@code postgresql://...}. */
public final class StoreFactory {
    /** The most of a SQLite file read through a memory map (SQLite caps it at 2 GB). */
    static final long MMAP_BYTES = 1L << 30;

    private StoreFactory() {}

    /**
     * Opens (creating and migrating as needed) the store at {@code backendUri}; experiments get
     * artifact locations under {@code defaultArtifactRoot}.
     */
    public static TrackingStore open(String backendUri, String defaultArtifactRoot) {
        String uri = withoutDriver(backendUri);
        Dialect dialect;
        if (uri.startsWith("sqlite:")) {
            dialect = Dialect.SQLITE;
        } else if (uri.startsWith("postgresql:") || uri.startsWith("postgres:")) {
            dialect = Dialect.POSTGRES;
        } else {
            throw MlflowException.invalid(
                    "Unsupported backend store URI '%s'. Use sqlite:///path/to/file.db or"
                            + " postgresql://user:password@host:port/database",
                    redact(backendUri));
        }
        HikariDataSource ds = null;
        HikariDataSource writes = null;
        try {
            ds = dialect == Dialect.SQLITE ? sqlite(sqlitePath(uri), false) : postgres(uri);
            Migrations.apply(ds, dialect);
            writes = dialect == Dialect.SQLITE ? sqlite(sqlitePath(uri), true) : null;
            return new JdbcTrackingStore(ds, writes, dialect, defaultArtifactRoot);
        } catch (MlflowException e) {
            closeQuietly(writes);
            closeQuietly(ds);
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(writes);
            closeQuietly(ds);
            throw new IllegalStateException("Cannot open the backend store " + redact(backendUri), e);
        }
    }

    private static void closeQuietly(HikariDataSource ds) {
        if (ds != null) {
            ds.close();
        }
    }

    /**
     * MLflow users write SQLAlchemy URLs naming a Python driver, such as {@code postgresql+psycopg2://};
     * the driver means nothing here, so it is dropped.
     */
    static String withoutDriver(String uri) {
        int colon = uri.indexOf(':');
        int plus = uri.indexOf('+');
        return plus > 0 && plus < colon ? uri.substring(0, plus) + uri.substring(colon) : uri;
    }

    /** The URI with any password masked, for messages and logs. */
    public static String redact(String uri) {
        return uri.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://[^:/@]*):[^@/]*@", "$1:***@");
    }

    static Path sqlitePath(String uri) {
        // sqlite:///relative.db is relative to the working directory, sqlite:////abs.db absolute,
        // as in SQLAlchemy URLs that MLflow users already write.
        String rest = uri.substring("sqlite:".length());
        if (!rest.startsWith("///")) {
            throw MlflowException.invalid(
                    "Invalid SQLite URI '%s': write sqlite:///relative/path.db or sqlite:////absolute/path.db", uri);
        }
        String path = rest.substring(3);
        if (path.isEmpty() || path.equals(":memory:")) {
            throw MlflowException.invalid("SQLite URI '%s' names no file; an in-memory store loses every run", uri);
        }
        return Path.of(path);
    }

    /**
     * The SQLite pool: readers, or ({@code writer}) the group commit's own connections. A
     * multi-row INSERT keeps a statement journal (to undo that statement alone if a row fails a
     * constraint); in a temp file, as by default, that was a file opened, written page by page and
     * deleted per statement, 700 system calls per log-batch of 1,000 metrics. The writer keeps it
     * in memory: at most the pages one statement changes. Readers keep temp files, so a large sort
     * still spills to disk instead of growing the heap of the process.
     */
    private static HikariDataSource sqlite(Path file, boolean writer) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw MlflowException.invalid("Cannot create the folder of %s: %s", file, e.getMessage());
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: an acknowledged commit is on disk, not only in the OS cache.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        config.enableCaseSensitiveLike(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // Reads go through a memory map of the file instead of a read() call per page: a search
        // that walks an index and looks up each candidate run spent half its time in those calls.
        // The mapped pages are the OS file cache, shared by every connection and given back under
        // memory pressure (they do show in the process's RSS once touched).
        config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, String.valueOf(MMAP_BYTES));
        if (writer) {
            config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        hc.setDataSourceProperties(config.toProperties());
        // one writer thread (GroupCommit); a second connection spares it a wait should one linger
        hc.setMaximumPoolSize(writer ? 2 : 8);
        hc.setMinimumIdle(writer ? 1 : 8);
        // A local file needs no connection recycling, and each connection keeps its prepared
        // statements (SqliteStatementCache): keep them for the life of the server.
        hc.setMaxLifetime(0);
        hc.setPoolName(writer ? "reprise-sqlite-writer" : "reprise-sqlite");
        return new HikariDataSource(hc);
    }

    private static HikariDataSource postgres(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw MlflowException.invalid("Invalid PostgreSQL URI '%s': %s", redact(uri), e.getReason());
        }
        if (parsed.getHost() == null) {
            throw MlflowException.invalid(
                    "PostgreSQL URI '%s' names no host: write postgresql://user:password@host:port/database",
                    redact(uri));
        }
        HikariConfig hc = new HikariConfig();
        int port = parsed.getPort() > 0 ? parsed.getPort() : 5432;
        String query = parsed.getRawQuery() == null ? "" : "?" + parsed.getRawQuery();
        hc.setJdbcUrl("jdbc:postgresql://" + parsed.getHost() + ":" + port + parsed.getPath() + query);
        String userInfo = parsed.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            hc.setUsername(colon < 0 ? userInfo : userInfo.substring(0, colon));
            if (colon >= 0) {
                hc.setPassword(userInfo.substring(colon + 1));
            }
        }
        hc.setMaximumPoolSize(16);
        hc.setPoolName("reprise-postgres");
        // A tracking server's queries are short: starting parallel workers cost a search that stops
        // after one page 150 ms of its 20 (measured at 100k runs), for nothing.
        hc.setConnectionInitSql("SET max_parallel_workers_per_gather = 0");
        return new HikariDataSource(hc);
    }
}
