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
 * The fixture of tests that run against both backends: a fresh database and its store for each test,
 * and helpers. Subclasses say which backends:
 *
 * <pre>{@code
 * @ParameterizedClass
 * @ValueSource(strings = {StoreBackends.SQLITE, StoreBackends.POSTGRES})
 * class MyTest extends StoreTestBase { ... }
 * }</pre>
 */
public abstract class StoreTestBase {
    @Parameter
    protected String backend;

    @TempDir
    protected Path dir;

    @AutoClose
    protected FreshDatabase db;

    protected TrackingStore store;

    @BeforeEach
    void openFreshStore() {
        db = StoreBackends.create(backend, dir);
        store = db.store();
    }

    protected String experiment(String name) {
        return store.createExperiment(name, null, List.of());
    }

    /** A run in a new experiment. */
    protected String run() {
        return run(experiment("exp-" + System.nanoTime()));
    }

    protected String run(String experimentId) {
        return run(experimentId, "run-" + System.nanoTime());
    }

    protected String run(String experimentId, String name) {
        NewRun run =
                new NewRun(experimentId, "alice", name, 1_700_000_000_000L, List.of(new Tag("mlflow.runName", name)));
        return store.createRun(run).info().runId();
    }

    /**
     * {@code length} random letters and digits ending in a non-ASCII character: incompressible, so
     * that a database has to store (and index) every byte of it.
     */
    protected static String incompressible(int length) {
        StringBuilder sb = new StringBuilder(length);
        java.util.Random random = new java.util.Random(length);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (int i = 0; i < length - 1; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.append('✓').toString();
    }

    /** Asserts the call fails as a client would see it: MLflow's error code and exact message. */
    protected static void assertFails(ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MlflowException.class, e -> {
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.code()).isEqualTo(code);
        });
    }
}
