package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The start-up shortcut past Flyway must never skip a migration. */
class MigrationsTest {
    private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

    @TempDir
    Path dir;

    @Test
    void scriptsListEveryMigrationOfEveryDialect() throws IOException {
        for (String dialect : new String[] {"sqlite", "postgres"}) {
            try (Stream<Path> files = Files.list(Path.of("src/main/resources/db", dialect))) {
                assertThat(files.map(p -> p.getFileName().toString())
                                .filter(n -> VERSION.matcher(n).matches())
                                .sorted(java.util.Comparator.comparingInt(
                                        n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))))
                        .as("migrations in db/%s: update Migrations.SCRIPTS", dialect)
                        .containsExactlyElementsOf(Migrations.SCRIPTS);
            }
            assertThat(highestVersion(Path.of("src/main/resources/db", dialect)))
                    .isEqualTo(Migrations.LATEST);
        }
    }

    /**
     * A new SQLite file gets the schema without Flyway (faster start); it must be the schema Flyway
     * makes, with a history Flyway accepts as its own.
     */
    @Test
    void aNewFileGetsTheSchemaFlywayWouldMakeWithAHistoryFlywayAccepts() {
        SQLiteDataSource fresh = new SQLiteDataSource();
        fresh.setUrl("jdbc:sqlite:" + dir.resolve("fresh.db"));
        Migrations.apply(fresh, Dialect.SQLITE);
        SQLiteDataSource flyway = new SQLiteDataSource();
        flyway.setUrl("jdbc:sqlite:" + dir.resolve("flyway.db"));
        Flyway.configure()
                .dataSource(flyway)
                .locations(Dialect.SQLITE.migrations())
                .load()
                .migrate();
        assertThat(schema(fresh)).isEqualTo(schema(flyway)).isNotEmpty();
        assertThat(history(fresh)).isEqualTo(history(flyway)).hasSize(Migrations.LATEST);
        assertFlywayAcceptsAsUpToDate(fresh, Dialect.SQLITE);
    }

    /** Flyway validates {@code db}'s history (checksums, descriptions, versions) and has nothing to run. */
    static void assertFlywayAcceptsAsUpToDate(DataSource db, Dialect dialect) {
        Flyway check = Flyway.configure()
                .dataSource(db)
                .locations(dialect.migrations())
                .load();
        check.validate(); // throws on any checksum, description or version mismatch
        assertThat(check.migrate().migrationsExecuted).isZero();
    }

    private static List<String> schema(SQLiteDataSource ds) {
        return Jdbi.create(ds)
                .withHandle(h -> h.createQuery("SELECT type || ' ' || name || ': '"
                                + " || replace(replace(sql, char(10), ' '), '  ', ' ') FROM sqlite_master"
                                + " WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
                        .mapTo(String.class)
                        .list());
    }

    private static List<String> history(SQLiteDataSource ds) {
        return Jdbi.create(ds)
                .withHandle(h -> h.createQuery(
                                "SELECT installed_rank || '|' || version || '|'"
                                        + " || description || '|' || type || '|' || script || '|' || checksum || '|'"
                                        + " || installed_by || '|' || success FROM flyway_schema_history ORDER BY installed_rank")
                        .mapTo(String.class)
                        .list());
    }

    @Test
    void aFreshDatabaseIsMigratedAndAnOlderOneIsBroughtUpToDate() {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("m.db"));
        assertThat(Migrations.installedVersion(ds)).isEqualTo(-1);
        Migrations.apply(ds, Dialect.SQLITE);
        assertThat(Migrations.installedVersion(ds)).isEqualTo(Migrations.LATEST);

        Jdbi jdbi = Jdbi.create(ds);
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO experiments (name, lifecycle_stage, creation_time, last_update_time)"
                    + " VALUES ('e', 'active', 0, 0)");
            h.execute("INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri,"
                    + " lifecycle_stage) SELECT 'r1', experiment_id, 'n', 'u', 'RUNNING', 0, 'a', 'active'"
                    + " FROM experiments WHERE name = 'e'");
            h.execute("INSERT INTO params VALUES ('r1', 'lr', '0.1')");
            h.execute("INSERT INTO metrics VALUES ('r1', 'loss', 0.5, 0, 1, 2)");
            h.execute("INSERT INTO latest_metrics SELECT 'r1', 'loss', 0.5, 0, 1, 2, experiment_id FROM runs");
            // back to a V3 database: V5's tables gone, V4 to V6 not applied
            for (String table : List.of(
                    "run_model_inputs",
                    "run_model_outputs",
                    "logged_model_params",
                    "logged_model_tags",
                    "logged_model_metrics")) {
                h.execute("DROP TABLE " + table);
            }
            h.execute("DROP TABLE logged_models");
            h.execute("DELETE FROM flyway_schema_history WHERE version IN ('4', '5', '6')");
        });
        assertThat(Migrations.installedVersion(ds)).isEqualTo(3);
        Migrations.apply(ds, Dialect.SQLITE);
        assertThat(Migrations.installedVersion(ds)).isEqualTo(Migrations.LATEST);
        // the newest migration keeps the data it finds
        jdbi.useHandle(h -> {
            assertThat(h.createQuery("SELECT value FROM params WHERE run_uuid = 'r1' AND key = 'lr'")
                            .mapTo(String.class)
                            .one())
                    .isEqualTo("0.1");
            assertThat(h.createQuery("SELECT count(*) FROM metrics")
                            .mapTo(Integer.class)
                            .one())
                    .isEqualTo(1);
            assertThat(h.createQuery("SELECT step FROM latest_metrics")
                            .mapTo(Integer.class)
                            .one())
                    .isEqualTo(2);
            // V6 copies each run's experiment into its latest metrics
            assertThat(h.createQuery("SELECT count(*) FROM latest_metrics m JOIN experiments e"
                                    + " ON e.experiment_id = m.experiment_id WHERE e.name = 'e'")
                            .mapTo(Integer.class)
                            .one())
                    .isEqualTo(1);
            // and V5 adds logged models that runs can point to
            h.execute("INSERT INTO run_model_outputs VALUES ('r1', 'm-1', 0)");
            assertThat(h.createQuery("SELECT count(*) FROM logged_models")
                            .mapTo(Integer.class)
                            .one())
                    .isZero();
        });
    }

    private static int highestVersion(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> VERSION.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max()
                    .orElseThrow();
        }
    }
}
