package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reprise.model.ErrorCode;
import io.reprise.model.MlflowException;
import io.reprise.model.Tag;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * The fixture of the store contract tests: a fresh database of the backend the subclass is run with
 * (subclasses are {@code @ParameterizedClass} over {@link StoreBackends#ALL}) and helpers.
 */
abstract class StoreTestBase {
    @Parameter
    String backend;

    @TempDir
    Path dir;

    @AutoClose
    FreshDatabase db;

    TrackingStore store;

    @BeforeEach
    void openFreshStore() {
        db = StoreBackends.create(backend, dir);
        store = db.store();
    }

    String experiment(String name) {
        return store.createExperiment(name, null, List.of());
    }

    /** A run in a new experiment. */
    String run() {
        return run(experiment("exp-" + System.nanoTime()));
    }

    String run(String experimentId) {
        return run(experimentId, "run-" + System.nanoTime());
    }

    String run(String experimentId, String name) {
        NewRun run =
                new NewRun(experimentId, "alice", name, 1_700_000_000_000L, List.of(new Tag("mlflow.runName", name)));
        return store.createRun(run).info().runId();
    }

    /** Asserts the call fails as a client would see it: MLflow's error code and exact message. */
    static void assertFails(ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MlflowException.class, e -> {
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.code()).isEqualTo(code);
        });
    }
}
