package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.model.Dataset;
import io.reprise.model.DatasetInput;
import io.reprise.model.Experiment;
import io.reprise.model.Metric;
import io.reprise.model.Param;
import io.reprise.model.Tag;
import io.reprise.model.ViewType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reused PostgreSQL test database is as empty as a new one; one still in use is not reused. */
class PostgresDatabasesTest {
    @TempDir
    Path dir;

    @Test
    void aDatabaseHandedBackIsEmptyWhenTakenAgain() {
        String uri;
        try (FreshDatabase db = StoreBackends.create(StoreBackends.POSTGRES, dir)) {
            uri = db.uri();
            fill(db.store());
        }
        try (FreshDatabase db = StoreBackends.create(StoreBackends.POSTGRES, dir)) {
            assertThat(db.uri()).isEqualTo(uri);
            TrackingStore store = db.store();
            assertThat(store.searchExperiments(new ExperimentQuery(null, ViewType.ALL, 100, List.of(), null))
                            .items())
                    .extracting(Experiment::experimentId)
                    .containsExactly("0");
            assertThat(store.createExperiment("again", null, List.of())).isEqualTo("1");
            fill(store);
        }
    }

    @Test
    void aDatabaseSomethingStillUsesIsNotReused() {
        FreshDatabase first = StoreBackends.create(StoreBackends.POSTGRES, dir);
        TrackingStore leaked = StoreFactory.open(first.uri(), "/a");
        try {
            first.close();
            try (FreshDatabase second = StoreBackends.create(StoreBackends.POSTGRES, dir)) {
                assertThat(second.uri()).isNotEqualTo(first.uri());
            }
        } finally {
            leaked.close();
        }
    }

    private static void fill(TrackingStore store) {
        String exp = store.createExperiment("full", null, List.of(new Tag("k", "v")));
        String run =
                store.createRun(new NewRun(exp, "u", "r", 1L, List.of())).info().runId();
        store.logBatch(
                run, List.of(new Metric("m", 1, 1, 1)), List.of(new Param("p", "v")), List.of(new Tag("t", "v")));
        Dataset d = new Dataset("d", "1", "local", "{}", null, null);
        store.logInputs(run, List.of(new DatasetInput(d, List.of(new Tag("mlflow.data.context", "train")))));
    }
}
