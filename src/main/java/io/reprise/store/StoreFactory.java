package io.reprise.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.reprise.model.MlflowException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

/** Opens a tracking store from a backend URI: {@code sqlite:///path} or {@code postgresql://...}. */
public final class StoreFactory {
    private StoreFactory() {}

    /**
     * Opens (creating and migrating as needed) the store at {@code backendUri}; experiments get
     * artifact locations under {@code defaultArtifactRoot}.
     */
    public static TrackingStore open(String backendUri, String defaultArtifactRoot) {
        HikariDataSource ds;
        Dialect dialect;
        if (backendUri.startsWith("sqlite:")) {
            ds = sqlite(sqlitePath(backendUri));
            dialect = Dialect.SQLITE;
        } else if (backendUri.startsWith("postgresql:") || backendUri.startsWith("postgres:")) {
            ds = postgres(backendUri);
            dialect = Dialect.POSTGRES;
        } else {
            throw MlflowException.invalid(
                    "Unsupported backend store URI '%s'. Use sqlite:///path/to/file.db or"
                            + " postgresql://user:password@host:port/database",
                    backendUri);
        }
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations(dialect.migrations())
                    .loggers("slf4j")
                    .load()
                    .migrate();
            return new JdbcTrackingStore(ds, dialect, defaultArtifactRoot);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
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

    private static HikariDataSource sqlite(Path file) {
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
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        hc.setDataSourceProperties(config.toProperties());
        hc.setMaximumPoolSize(8);
        hc.setPoolName("reprise-sqlite");
        return new HikariDataSource(hc);
    }

    private static HikariDataSource postgres(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw MlflowException.invalid("Invalid PostgreSQL URI '%s': %s", uri, e.getMessage());
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
        return new HikariDataSource(hc);
    }
}
