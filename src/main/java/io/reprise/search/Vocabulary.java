package io.reprise.search;

import io.reprise.model.MlflowException;
import java.util.List;
import java.util.Set;

/**
 * The words and sets that differ between MLflow's run search ({@code SearchUtils}) and experiment
 * search ({@code SearchExperimentsUtils}). Sets are lists here so messages list them in a fixed
 * order; Python prints them in a hash order that changes from run to run.
 */
record Vocabulary(
        boolean forRuns,
        List<String> filterAttributes,
        List<String> orderByAttributes,
        Set<String> numericAttributes,
        List<String> listAttributes) {

    static final List<String> DATASET_KEYS = List.of("name", "digest", "context");

    static final Vocabulary RUNS = new Vocabulary(
            true,
            List.of(
                    "artifact_uri",
                    "end_time",
                    "run_id",
                    "run_name",
                    "start_time",
                    "status",
                    "user_id",
                    "created",
                    "Created",
                    "run name",
                    "Run name",
                    "Run Name"),
            List.of(
                    "artifact_uri",
                    "end_time",
                    "run_id",
                    "run_name",
                    "start_time",
                    "status",
                    "user_id",
                    "created",
                    "Created"),
            Set.of("start_time", "end_time", "created", "Created"),
            List.of("run_id"));

    static final Vocabulary EXPERIMENTS = new Vocabulary(
            false,
            List.of("name", "experiment_id", "creation_time", "last_update_time"),
            List.of("name", "experiment_id", "creation_time", "last_update_time"),
            Set.of("creation_time", "last_update_time"),
            List.of("experiment_id"));

    private static final List<String> EXPERIMENT_ENTITIES = List.of("attribute", "tag", "tags");

    /** MLflow's {@code _valid_entity_type}, with experiment search's narrower list first. */
    Entity entity(String prefix) {
        if (!forRuns && !EXPERIMENT_ENTITIES.contains(prefix)) {
            throw MlflowException.invalid(
                    "Invalid entity type '%s'. Valid entity types are ('attribute', 'tag', 'tags')", prefix);
        }
        String name = Quotes.trimBackticks(prefix);
        return switch (name) {
            case "metric", "metrics" -> Entity.METRIC;
            case "parameter", "parameters", "param", "params" -> Entity.PARAM;
            case "tag", "tags" -> Entity.TAG;
            case "attribute", "attributes", "attr", "run" -> Entity.ATTRIBUTE;
            case "dataset", "datasets" -> Entity.DATASET;
            default ->
                throw MlflowException.invalid(
                        "Invalid entity type '%s'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
                        name);
        };
    }

    /** Run search's aliases: {@code created} is {@code start_time}, {@code run name} is {@code run_name}. */
    static String canonicalKey(String key) {
        return switch (key) {
            case "created", "Created" -> "start_time";
            case "run name", "Run name", "Run Name" -> "run_name";
            default -> key;
        };
    }
}
