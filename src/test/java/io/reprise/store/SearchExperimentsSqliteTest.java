package io.reprise.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The search-experiments contract on a SQLite file. */
class SearchExperimentsSqliteTest extends SearchExperimentsContract {
    @TempDir
    static Path dir;

    @Override
    protected TrackingStore newStore() {
        return StoreFactory.open("sqlite:///" + dir.resolve("search.db"), "mlflow-artifacts:");
    }
}
