package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reprise.model.Param;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SQLite's group commit: a write that fails, however it fails, fails alone. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommitTest {
    @TempDir
    Path dir;

    @AutoClose
    FreshDatabase db;

    JdbcTrackingStore store;

    @BeforeEach
    void open() {
        db = StoreBackends.create(StoreBackends.SQLITE, dir);
        store = (JdbcTrackingStore) db.store();
    }

    @Test
    void anErrorInOneWriteFailsItsCallerAndTheStoreGoesOn() {
        assertThatThrownBy(() -> store.write(h -> {
                    h.execute("UPDATE experiments SET name = 'half-done' WHERE experiment_id = 0");
                    throw new AssertionError("boom");
                }))
                .isInstanceOf(AssertionError.class)
                .hasMessage("boom");
        assertThat(store.getExperiment("0").name()).isEqualTo("Default");
        assertThat(store.createExperiment("after", null, List.of())).isEqualTo("1");
    }

    @Test
    void concurrentWritesShareCommitsButNotFailures() {
        String runId =
                store.createRun(new NewRun("0", "u", "r", 1L, List.of())).info().runId();
        store.logBatch(runId, List.of(), List.of(new Param("taken", "1")), List.of());
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            // Every fourth write conflicts with the stored param and must roll back alone.
            Param p = i % 4 == 0 ? new Param("taken", "2") : new Param("p" + i, "v");
            writes.add(CompletableFuture.runAsync(() -> store.logBatch(runId, List.of(), List.of(p), List.of())));
        }
        long failed = writes.stream()
                .filter(f -> f.handle((ok, e) -> e != null).join())
                .count();
        assertThat(failed).isEqualTo(16);
        assertThat(store.getRun(runId).data().params()).hasSize(1 + 48).contains(new Param("taken", "1"));
    }
}
