package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** Cached SQLite statements: compiled once per connection, never a stale or half-used one. */
class SqliteStatementCacheTest {
    @TempDir
    Path dir;

    HikariDataSource ds;
    SqliteStatementCache cache;
    Jdbi jdbi;

    @BeforeEach
    void open() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl("jdbc:sqlite:" + dir.resolve("c.db"));
        hc.setDataSourceProperties(config.toProperties());
        hc.setMaximumPoolSize(2);
        ds = new HikariDataSource(hc);
        cache = new SqliteStatementCache();
        jdbi = Jdbi.create(ds).setStatementBuilderFactory(cache);
        jdbi.useHandle(h -> h.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)"));
    }

    @AfterEach
    void close() {
        ds.close();
    }

    private static int count(Handle h) {
        return h.createQuery("SELECT count(*) FROM t").mapTo(Integer.class).one();
    }

    @Test
    void theSameSqlIsCompiledOncePerConnection() {
        long before = cache.prepared();
        jdbi.useHandle(h -> {
            for (int i = 0; i < 50; i++) {
                h.createUpdate("INSERT INTO t (k, v) VALUES (:k, :v)")
                        .bind("k", "k" + i)
                        .bind("v", i)
                        .execute();
                assertThat(count(h)).isEqualTo(i + 1);
            }
        });
        for (int i = 0; i < 20; i++) {
            jdbi.useHandle(h -> assertThat(count(h)).isEqualTo(50));
        }
        // two statements, on at most the pool's two connections
        assertThat(cache.prepared() - before).isBetween(2L, 4L);
    }

    @Test
    void aCachedQuerySeesWhatOtherConnectionsCommitted() {
        try (Handle reader = jdbi.open();
                Handle writer = jdbi.open()) {
            for (int i = 0; i < 5; i++) {
                // a query left half-read must not keep its snapshot for the next use
                assertThat(reader.createQuery("SELECT k FROM t UNION ALL SELECT 'x' UNION ALL SELECT 'y'")
                                .mapTo(String.class)
                                .first())
                        .isNotNull();
                assertThat(count(reader)).isEqualTo(i);
                writer.createUpdate("INSERT INTO t (k, v) VALUES (:k, 1)")
                        .bind("k", "w" + i)
                        .execute();
                assertThat(count(reader)).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void aFailedStatementIsReusableAndBindsNothingStale() {
        jdbi.useHandle(h -> {
            String insert = "INSERT INTO t (k, v) VALUES (:k, :v)";
            h.createUpdate(insert).bind("k", "a").bind("v", 1).execute();
            assertThatThrownBy(() ->
                            h.createUpdate(insert).bind("k", "a").bind("v", 2).execute())
                    .hasMessageContaining("UNIQUE");
            h.createUpdate(insert).bind("k", "b").bind("v", 3).execute();
            assertThat(h.createQuery("SELECT k || v FROM t ORDER BY k")
                            .mapTo(String.class)
                            .list())
                    .containsExactly("a1", "b3");
        });
    }

    @Test
    void batchesAndNestedUsesOfOneQueryWork() {
        jdbi.useHandle(h -> {
            var batch = h.prepareBatch("INSERT INTO t (k, v) VALUES (:k, :v)");
            for (int i = 0; i < 3; i++) {
                batch.bind("k", "b" + i).bind("v", i).add();
            }
            batch.execute();
            var again = h.prepareBatch("INSERT INTO t (k, v) VALUES (:k, :v)");
            again.bind("k", "c").bind("v", 9).add();
            again.execute();
            String sql = "SELECT k FROM t WHERE v >= :min ORDER BY k";
            List<String> nested = h.createQuery(sql).bind("min", 0).mapTo(String.class).stream()
                    .map(k -> k
                            + h.createQuery(sql)
                                    .bind("min", 9)
                                    .mapTo(String.class)
                                    .one())
                    .toList();
            assertThat(nested).containsExactly("b0c", "b1c", "b2c", "cc");
        });
    }
}
