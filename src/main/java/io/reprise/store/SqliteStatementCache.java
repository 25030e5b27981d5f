package io.reprise.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.SQLiteConnection;

/**
 * Keeps SQLite's prepared statements per connection, so each request's SQL is compiled once per
 * pooled connection instead of once per use: under write load, preparing statements took 14% of
 * the server's CPU. sqlite-jdbc does not cache and HikariCP does not by design (PostgreSQL's driver
 * caches on its own, so this is for SQLite only).
 *
 * <p>Statements are prepared on the physical connection, past HikariCP's proxy, which would
 * otherwise close them when the connection goes back to the pool. JDBI closes each result set
 * before its statement, and closing a result set resets the SQLite statement, so a cached
 * statement holds no read snapshot between uses. A statement in use is taken out of the cache:
 * the same SQL nested in itself gets a second one.
 */
final class SqliteStatementCache implements StatementBuilderFactory {
    /** Statements kept per connection: a server's distinct SQL texts, minus the rare ones. */
    static final int PER_CONNECTION = 128;

    private final Map<SQLiteConnection, Map<String, PreparedStatement>> caches = new IdentityHashMap<>();
    private final AtomicLong prepared = new AtomicLong();

    @Override
    public StatementBuilder createStatementBuilder(Connection conn) {
        try {
            return new Builder(cacheOf(conn.unwrap(SQLiteConnection.class)));
        } catch (SQLException e) {
            return new DefaultStatementBuilder(); // not SQLite: nothing to cache
        }
    }

    /** How many statements were compiled, for tests. */
    long prepared() {
        return prepared.get();
    }

    private synchronized Map<String, PreparedStatement> cacheOf(SQLiteConnection physical) {
        // A connection the pool closed took its statements with it; forget its cache.
        caches.keySet().removeIf(SqliteStatementCache::isClosed);
        return caches.computeIfAbsent(physical, c -> new Lru());
    }

    /** One connection's statements, least recently used first; only that connection's holder uses it. */
    private static final class Lru extends LinkedHashMap<String, PreparedStatement> {
        private static final long serialVersionUID = 1L;

        Lru() {
            super(16, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= PER_CONNECTION) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    }

    final class Builder extends DefaultStatementBuilder {
        private final Map<String, PreparedStatement> cache;
        // statements out of the cache -> the SQL they were prepared from (JDBI closes a statement
        // naming its SQL before parameter parsing, so that cannot be the key)
        private final Map<Statement, String> cached = new IdentityHashMap<>();

        Builder(Map<String, PreparedStatement> cache) {
            this.cache = cache;
        }

        @Override
        public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
            if (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) {
                prepared.incrementAndGet();
                return super.create(conn, sql, ctx);
            }
            return take(conn, sql);
        }

        /**
         * The cached statement for {@code sql} (prepared now if there is none), for plain JDBC use
         * ({@link JdbcStatements}); {@link #close(Connection, String, Statement)} gives it back.
         */
        PreparedStatement take(Connection conn, String sql) throws SQLException {
            PreparedStatement ps = cache.remove(sql);
            if (ps == null || ps.isClosed()) {
                prepared.incrementAndGet();
                ps = conn.unwrap(SQLiteConnection.class)
                        .prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            }
            cached.put(ps, sql);
            return ps;
        }

        @Override
        public void close(Connection conn, String unparsed, Statement stmt) throws SQLException {
            String sql = stmt == null ? null : cached.remove(stmt);
            if (sql == null) {
                super.close(conn, unparsed, stmt);
                return;
            }
            PreparedStatement ps = (PreparedStatement) stmt;
            try {
                ps.clearBatch();
                ps.clearParameters();
            } catch (SQLException | RuntimeException e) {
                closeQuietly(ps);
                return;
            }
            PreparedStatement other = cache.put(sql, ps);
            if (other != null) {
                closeQuietly(other);
            }
        }

        @Override
        public void close(Connection conn) {
            // statements still out (a failed handle) are not reused
            cached.keySet().forEach(SqliteStatementCache::closeQuietly);
            cached.clear();
        }
    }

    private static boolean isClosed(SQLiteConnection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static void closeQuietly(Statement s) {
        try {
            s.close();
        } catch (SQLException | RuntimeException e) {
            // already unusable: nothing more to release
        }
    }
}
