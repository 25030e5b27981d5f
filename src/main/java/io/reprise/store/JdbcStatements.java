package io.reprise.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Plain JDBC statements on a handle's connection, for the hot write paths: a value bound through
 * JDBI costs an Argument object and a name lookup, about a tenth of the server's CPU in a SQLite
 * log-batch of 1,000 metrics. On SQLite the statement comes from (and goes back to) the handle's
 * {@link SqliteStatementCache}; PostgreSQL's driver caches prepared statements by itself.
 */
final class JdbcStatements {
    /** What to do with the statement: bind, add to the batch, execute. */
    @FunctionalInterface
    interface Work {
        void accept(PreparedStatement ps) throws SQLException;
    }

    /** {@link Work} with an answer; a result set it opens must be closed before it returns. */
    @FunctionalInterface
    interface Call<T> {
        T apply(PreparedStatement ps) throws SQLException;
    }

    private JdbcStatements() {}

    /** Runs {@code work} on a prepared {@code sql}; a failure comes out as JDBI's would, cause kept. */
    static void run(Handle h, String sql, Work work) {
        call(h, sql, ps -> {
            work.accept(ps);
            return null;
        });
    }

    /** {@link #run} with an answer. */
    static <T> T call(Handle h, String sql, Call<T> work) {
        Connection conn = h.getConnection();
        StatementBuilder builder = h.getStatementBuilder();
        PreparedStatement ps = null;
        try {
            ps = builder instanceof SqliteStatementCache.Builder cache
                    ? cache.take(conn, sql)
                    : conn.prepareStatement(sql);
            return work.apply(ps);
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        } finally {
            if (ps != null) {
                release(builder, conn, sql, ps);
            }
        }
    }

    private static void release(StatementBuilder builder, Connection conn, String sql, PreparedStatement ps) {
        try {
            builder.close(conn, sql, ps); // back to the cache, or closed
        } catch (SQLException e) {
            // a statement that cannot be closed is unusable anyway; the write's outcome stands
        }
    }
}
