package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search-runs contract on a SQLite file. */
class SearchRunsSqliteTest extends SearchRunsContract {
    @TempDir
    static Path dir;

    @Override
    protected TrackingStore newStore() {
        return StoreFactory.open("sqlite:///" + dir.resolve("search.db"), "mlflow-artifacts:");
    }

    @Test
    void likeHasNoEscapeCharacter() {
        // SQLite's LIKE has no default escape, so \_ is a backslash and any character, as in
        // MLflow on SQLite. PostgreSQL's LIKE escapes with a backslash: there this finds rnn_v2.
        assertThat(names("params.model LIKE '%\\_%'", List.of())).isEmpty();
        assertThat(names("params.model LIKE '%_%'", List.of())).containsExactly("r5", "r2", "r1");
    }
}
