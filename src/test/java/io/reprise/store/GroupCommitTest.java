package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.reprise.model.MlflowException;
import io.reprise.model.Param;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Group commit on both databases: writes share a commit, but a write that fails, however it fails, fails alone. */
@ParameterizedClass
@ValueSource(strings = {StoreBackends.SQLITE, StoreBackends.POSTGRES})
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommitTest {
    @Parameter
    String backend;

    @TempDir
    Path dir;

    @AutoClose
    FreshDatabase db;

    @AutoClose
    ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

    JdbcTrackingStore store;

    @BeforeEach
    void open() {
        db = StoreBackends.create(backend, dir);
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
    void concurrentWritesShareCommitsButNotFailures() throws Exception {
        String runId =
                store.createRun(new NewRun("0", "u", "r", 1L, List.of())).info().runId();
        store.logBatch(runId, List.of(), List.of(new Param("taken", "1")), List.of());
        List<CompletableFuture<Void>> writes;
        try (WriterGate gate = WriterGate.close(store)) {
            writes = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                // Every fourth write conflicts with the stored param and must roll back alone.
                Param p = i % 4 == 0 ? new Param("taken", "2") : new Param("p" + i, "v");
                writes.add(CompletableFuture.runAsync(
                        () -> store.logBatch(runId, List.of(), List.of(p), List.of()), clients));
            }
            gate.openWhenQueued(64);
        }
        // each failure is the answer the same write gets alone
        MlflowException alone = catchThrowableOfType(
                MlflowException.class,
                () -> store.logBatch(runId, List.of(), List.of(new Param("taken", "2")), List.of()));
        assertThat(alone.getMessage()).contains("Changing param values is not allowed. Param with key='taken'");
        List<Throwable> failures = writes.stream()
                .map(f -> f.handle((ok, e) -> e == null ? null : e.getCause()).join())
                .filter(e -> e != null)
                .toList();
        assertThat(failures)
                .hasSize(16)
                .allSatisfy(e -> assertThat(e)
                        .isInstanceOfSatisfying(
                                MlflowException.class, m -> assertThat(m.code()).isEqualTo(alone.code()))
                        .hasMessage(alone.getMessage()));
        assertThat(store.getRun(runId).data().params()).hasSize(1 + 48).contains(new Param("taken", "1"));
    }
}
