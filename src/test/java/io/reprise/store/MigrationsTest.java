package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    void latestIsTheHighestMigrationOfEveryDialect() throws IOException {
        for (String dialect : new String[] {"sqlite", "postgres"}) {
            assertThat(highestVersion(Path.of("src/main/resources/db", dialect)))
                    .as("highest migration in db/%s: update Migrations.LATEST", dialect)
                    .isEqualTo(Migrations.LATEST);
        }
    }

    @Test
    void aFreshDatabaseIsMigratedAndAnOlderOneIsBroughtUpToDate() {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("m.db"));
        assertThat(Migrations.installedVersion(ds)).isEqualTo(-1);
        Migrations.apply(ds, Dialect.SQLITE);
        assertThat(Migrations.installedVersion(ds)).isEqualTo(Migrations.LATEST);

        Jdbi.create(ds).useHandle(h -> h.execute("DELETE FROM flyway_schema_history WHERE version = ?", "3"));
        assertThat(Migrations.installedVersion(ds)).isEqualTo(2);
        Migrations.apply(ds, Dialect.SQLITE);
        assertThat(Migrations.installedVersion(ds)).isEqualTo(Migrations.LATEST);
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
