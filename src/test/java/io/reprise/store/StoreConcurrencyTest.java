package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.model.DatasetInput;
import io.reprise.model.ErrorCode;
import io.reprise.model.Metric;
import io.reprise.model.MlflowException;
import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.model.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Many writers at once lose nothing and see only MLflow's errors, on both backends. */
@ParameterizedClass
@ValueSource(strings = {StoreBackends.SQLITE, StoreBackends.POSTGRES})
class StoreConcurrencyTest extends StoreTestBase {
    private static final int THREADS = 8;
    private static final int BATCHES = 20;

    /** Runs {@code task(i)} on {@link #THREADS} threads released together; returns their results. */
    private static <T> List<T> together(IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                Callable<T> work = task.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void writersOnTheSameAndOnDifferentRunsLoseNothing() throws Exception {
        String exp = experiment("busy");
        String shared = run(exp);
        List<String> own = together(t -> () -> run(exp));
        together(t -> () -> {
            for (int b = 0; b < BATCHES; b++) {
                // Every thread logs the same shared param (idempotent), its own params, points of a
                // shared metric key (steps interleave across threads) and tags.
                List<Metric> metrics = List.of(
                        new Metric("shared", t * 1000 + b, 1000L + b, (long) b * THREADS + t),
                        new Metric("m" + t, b, 1000L + b, b));
                List<Param> params = List.of(new Param("common", "same"), new Param("p" + t + "_" + b, "v"));
                List<Tag> tags = List.of(new Tag("t" + t, "b" + b), new Tag("last", "x"));
                store.logBatch(shared, metrics, params, tags);
                store.logBatch(own.get(t), metrics, params, tags);
            }
            return null;
        });
        for (String id : concat(shared, own)) {
            Run run = store.getRun(id);
            int writers = id.equals(shared) ? THREADS : 1;
            assertThat(run.data().params()).hasSize(1 + writers * BATCHES);
            assertThat(run.data().tags()).contains(new Tag("last", "x"));
            assertThat(store.getMetricHistory(id, "shared", null, null).items()).hasSize(writers * BATCHES);
        }
        Run sharedRun = store.getRun(shared);
        for (int t = 0; t < THREADS; t++) {
            assertThat(store.getMetricHistory(shared, "m" + t, null, null).items())
                    .hasSize(BATCHES);
            assertThat(sharedRun.data().tags()).contains(new Tag("t" + t, "b" + (BATCHES - 1)));
        }
        long maxStep = (long) (BATCHES - 1) * THREADS + THREADS - 1;
        assertThat(sharedRun.data().metrics())
                .contains(new Metric("shared", (THREADS - 1) * 1000 + BATCHES - 1, 1000L + BATCHES - 1, maxStep));
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest);
        all.add(0, first);
        return all;
    }

    @Test
    void theSameNewParamFromManyWritersIsLoggedOnceOrRejected() throws Exception {
        String id = run();
        // Half the writers agree on the value, half try another one: exactly one value wins.
        List<String> outcomes = together(t -> () -> {
            try {
                store.logBatch(id, List.of(), List.of(new Param("p", "v" + (t % 2))), List.of());
                return "ok v" + (t % 2);
            } catch (MlflowException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                assertThat(e.getMessage()).startsWith("Changing param values is not allowed.");
                return "rejected";
            }
        });
        String stored = store.getRun(id).data().params().getFirst().value();
        assertThat(outcomes)
                .filteredOn(o -> o.startsWith("ok"))
                .containsOnly("ok " + stored)
                .hasSize(THREADS / 2);
    }

    @Test
    void theSameNewDatasetFromManyRunsIsStoredOnce() throws Exception {
        String exp = experiment("datasets");
        List<String> runs = together(t -> () -> run(exp));
        together(t -> () -> {
            // Opposite orders in alternate threads: lock order must not matter.
            List<DatasetInput> inputs = new ArrayList<>(List.of(
                    new DatasetInput(RunStoreTest.dataset("a"), List.of()),
                    new DatasetInput(RunStoreTest.dataset("b"), List.of())));
            if (t % 2 == 1) {
                inputs = inputs.reversed();
            }
            store.logInputs(runs.get(t), inputs);
            return null;
        });
        for (String id : runs) {
            assertThat(store.getRun(id).inputs())
                    .extracting(i -> i.dataset().name())
                    .containsExactly("a", "b");
        }
    }

    @Test
    void theSameExperimentNameFromManyWritersIsCreatedOnce() throws Exception {
        List<String> outcomes = together(t -> () -> {
            try {
                return "created " + experiment("race");
            } catch (MlflowException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS);
                return "exists";
            }
        });
        String id = store.findExperimentByName("race").orElseThrow().experimentId();
        assertThat(outcomes)
                .containsOnlyOnce("created " + id)
                .filteredOn("exists"::equals)
                .hasSize(THREADS - 1);
    }
}
