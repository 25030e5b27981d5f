package io.reprise.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings the schema up to date. Loading Flyway and scanning its migrations costs a quarter of a
 * second of start-up, so a store whose history already ends at {@link #LATEST} is left alone;
 * only a new or older database goes through Flyway (which also takes the lock that keeps two
 * replicas from migrating at once).
 */
final class Migrations {
    /** The highest migration version under {@code db/sqlite} and {@code db/postgres}. */
    static final int LATEST = 6;

    private Migrations() {}

    static void apply(DataSource ds, Dialect dialect) {
        if (installedVersion(ds) == LATEST) {
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
}
