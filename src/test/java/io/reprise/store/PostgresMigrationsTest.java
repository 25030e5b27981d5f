package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A new PostgreSQL database gets its schema without Flyway (half a second less to the first
 * answer); it must be exactly the schema and history Flyway makes, and replicas starting together
 * on it must create it once.
 */
class PostgresMigrationsTest {
    private final PostgresDatabases dbs = PostgresDatabases.get();

    @Test
    void aNewDatabaseGetsTheSchemaFlywayWouldMakeWithAHistoryFlywayAccepts() {
        DataSource fresh = dbs.emptyDatabase();
        assertThat(Migrations.installedVersion(fresh)).isEqualTo(-1);

        Migrations.apply(fresh, Dialect.POSTGRES);

        DataSource flyway = dbs.flywayMigrated();
        assertThat(schema(fresh)).isEqualTo(schema(flyway)).hasSizeGreaterThan(50);
        assertThat(history(fresh)).isEqualTo(history(flyway)).hasSize(Migrations.LATEST);
        MigrationsTest.assertFlywayAcceptsAsUpToDate(fresh, Dialect.POSTGRES);
    }

    @Test
    void replicasStartingTogetherOnANewDatabaseCreateTheSchemaOnce() throws Exception {
        DataSource fresh = dbs.emptyDatabase();
        int replicas = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            List<Future<Integer>> versions = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                versions.add(pool.submit(() -> {
                    start.await();
                    Migrations.apply(fresh, Dialect.POSTGRES);
                    return Migrations.installedVersion(fresh);
                }));
            }
            start.countDown();
            for (Future<Integer> version : versions) {
                assertThat(version.get()).isEqualTo(Migrations.LATEST);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(history(fresh)).hasSize(Migrations.LATEST);
    }

    /** Every column, index and constraint of the current schema, as text. */
    private static List<String> schema(DataSource ds) {
        return Jdbi.create(ds)
                .withHandle(h -> h.createQuery("""
                        SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' '
                               || is_nullable || ' ' || coalesce(column_default, '') || ' ' || ordinal_position
                        FROM information_schema.columns WHERE table_schema = current_schema()
                        UNION ALL
                        SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
                        UNION ALL
                        SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' '
                               || pg_get_constraintdef(oid)
                        FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
                        ORDER BY 1""").mapTo(String.class).list());
    }

    private static List<String> history(DataSource ds) {
        return Jdbi.create(ds)
                .withHandle(h -> h.createQuery("""
                                SELECT installed_rank || '|' || version || '|' || description || '|' || type || '|'
                                       || script || '|' || checksum || '|' || installed_by || '|' || success
                                FROM flyway_schema_history ORDER BY installed_rank""").mapTo(String.class).list());
    }
}
