package io.reprise.store;

import io.reprise.model.Dataset;
import io.reprise.model.DatasetInput;
import io.reprise.model.Metric;
import io.reprise.model.Param;
import io.reprise.model.RunStatus;
import io.reprise.model.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Logs named runs through the {@link TrackingStore} API and remembers their ids by name. */
final class RunFixture {
    private final TrackingStore store;
    private final Map<String, String> idsByName = new HashMap<>();
    private final Map<String, String> namesById = new HashMap<>();

    RunFixture(TrackingStore store) {
        this.store = store;
    }

    /** Starts describing a run; {@link RunBuilder#log()} creates it. */
    RunBuilder run(String experimentId, String name, long startTime) {
        return new RunBuilder(experimentId, name, startTime);
    }

    String id(String name) {
        return idsByName.get(name);
    }

    List<String> names(List<String> runIds) {
        return runIds.stream().map(namesById::get).toList();
    }

    final class RunBuilder {
        private final String experimentId;
        private final String name;
        private final long startTime;
        private String user = "alice";
        private RunStatus status;
        private Long endTime;
        private final List<Metric> metrics = new ArrayList<>();
        private final List<Param> params = new ArrayList<>();
        private final List<Tag> tags = new ArrayList<>();
        private final List<DatasetInput> inputs = new ArrayList<>();

        private RunBuilder(String experimentId, String name, long startTime) {
            this.experimentId = experimentId;
            this.name = name;
            this.startTime = startTime;
        }

        RunBuilder user(String value) {
            user = value;
            return this;
        }

        RunBuilder ended(RunStatus value, Long end) {
            status = value;
            endTime = end;
            return this;
        }

        RunBuilder metric(String key, double value) {
            metrics.add(new Metric(key, value, 1, 0));
            return this;
        }

        RunBuilder param(String key, String value) {
            params.add(new Param(key, value));
            return this;
        }

        RunBuilder tag(String key, String value) {
            tags.add(new Tag(key, value));
            return this;
        }

        /** A dataset input; a null context logs no {@code mlflow.data.context} tag. */
        RunBuilder dataset(String datasetName, String digest, String context) {
            List<Tag> inputTags = context == null ? List.of() : List.of(new Tag("mlflow.data.context", context));
            inputs.add(new DatasetInput(new Dataset(datasetName, digest, "local", "src", null, null), inputTags));
            return this;
        }

        String log() {
            String id = store.createRun(new NewRun(
                            experimentId, user, name, startTime, List.of(new Tag(RunWriter.RUN_NAME_TAG, name))))
                    .info()
                    .runId();
            store.logBatch(id, metrics, params, tags);
            if (status != null) {
                store.updateRun(new RunUpdate(id, status, endTime, null));
            }
            if (!inputs.isEmpty()) {
                store.logInputs(id, inputs);
            }
            idsByName.put(name, id);
            namesById.put(id, name);
            return id;
        }
    }
}
