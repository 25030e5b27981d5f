package io.reprise.tracking;

import io.reprise.model.DatasetInput;
import io.reprise.model.ErrorCode;
import io.reprise.model.Experiment;
import io.reprise.model.LifecycleStage;
import io.reprise.model.LoggedModel;
import io.reprise.model.LoggedModelStatus;
import io.reprise.model.Metric;
import io.reprise.model.MlflowException;
import io.reprise.model.ModelMetric;
import io.reprise.model.ModelOutput;
import io.reprise.model.Page;
import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.model.RunInfo;
import io.reprise.model.Tag;
import io.reprise.policy.Compliance;
import io.reprise.policy.Verdict;
import io.reprise.store.ExperimentQuery;
import io.reprise.store.LoggedModelQuery;
import io.reprise.store.NewLoggedModel;
import io.reprise.store.NewRun;
import io.reprise.store.RunQuery;
import io.reprise.store.RunUpdate;
import io.reprise.store.TrackingStore;
import java.util.ArrayList;
import java.util.List;

/** MLflow's tracking semantics over a store: validation, run naming, truncation, value clamping. */
public final class TrackingService {
    static final String RUN_NAME_TAG = "mlflow.runName";
    static final String USER_TAG = "mlflow.user";
    static final String MODEL_HISTORY_TAG = "mlflow.log-model.history";

    private final TrackingStore store;
    private final Compliance compliance;

    public TrackingService(TrackingStore store) {
        this(store, Compliance.off());
    }

    /** A service whose run writes go through the team policy. */
    public TrackingService(TrackingStore store, Compliance compliance) {
        this.store = store;
        this.compliance = compliance;
    }

    public TrackingStore store() {
        return store;
    }

    public String createExperiment(String name, String artifactLocation, List<Tag> tags) {
        Validation.experimentName(name);
        Validation.artifactLocation(artifactLocation);
        tags.forEach(Validation::experimentTag);
        return store.createExperiment(name, artifactLocation, tags);
    }

    public Experiment getExperiment(String experimentId) {
        return store.getExperiment(Validation.experimentId(experimentId));
    }

    public Experiment getExperimentByName(String name) {
        return store.findExperimentByName(name)
                .orElseThrow(() -> MlflowException.notFound("Could not find experiment with name '%s'", name));
    }

    public Page<Experiment> searchExperiments(ExperimentQuery query) {
        return store.searchExperiments(query);
    }

    /**
     * A name already taken is BAD_REQUEST, not RESOURCE_ALREADY_EXISTS, as MLflow's rename answers.
     * Renaming a deleted experiment is MLflow's INVALID_STATE, a 500; it is the caller's mistake,
     * so it is answered as INVALID_PARAMETER_VALUE (400) with the same message.
     */
    public void renameExperiment(String experimentId, String newName) {
        Validation.experimentName(newName);
        try {
            store.renameExperiment(Validation.experimentId(experimentId), newName);
        } catch (MlflowException e) {
            throw switch (e.code()) {
                case RESOURCE_ALREADY_EXISTS -> new MlflowException(ErrorCode.BAD_REQUEST, e.getMessage());
                case INVALID_STATE -> new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, e.getMessage());
                default -> e;
            };
        }
    }

    /** MLflow looks the experiment up among active ones only, so a deleted one is "not found". */
    public void deleteExperiment(String experimentId) {
        String id = Validation.experimentId(experimentId);
        if (store.getExperiment(id).lifecycleStage() != LifecycleStage.ACTIVE) {
            throw MlflowException.notFound("No Experiment with id=%s exists", id);
        }
        store.deleteExperiment(id);
    }

    /** MLflow looks the experiment up among deleted ones only, so an active one is "not found". */
    public void restoreExperiment(String experimentId) {
        String id = Validation.experimentId(experimentId);
        if (store.getExperiment(id).lifecycleStage() != LifecycleStage.DELETED) {
            throw MlflowException.notFound("No Experiment with id=%s exists", id);
        }
        store.restoreExperiment(id);
    }

    public void setExperimentTag(String experimentId, Tag tag) {
        Validation.experimentTag(tag);
        store.setExperimentTag(Validation.experimentId(experimentId), tag);
    }

    public void deleteExperimentTag(String experimentId, String key) {
        store.deleteExperimentTag(Validation.experimentId(experimentId), key);
    }

    /** Creates a run; the name comes from {@code runName}, the {@code mlflow.runName} tag, or is generated. */
    public Run createRun(String experimentId, String userId, String runName, Long startTime, List<Tag> tags) {
        List<Tag> checked = new ArrayList<>();
        for (int i = 0; i < tags.size(); i++) {
            checked.add(Validation.tag(notReserved(tags.get(i)), "tags[" + i + "]"));
        }
        String tagName = checked.stream()
                .filter(t -> t.key().equals(RUN_NAME_TAG))
                .map(Tag::value)
                .reduce((a, b) -> b)
                .orElse(null);
        boolean hasName = runName != null && !runName.isEmpty();
        if (hasName && tagName != null && !runName.equals(tagName)) {
            throw MlflowException.invalid(
                    "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values"
                            + " (run_name='%s', mlflow.runName='%s').",
                    runName, tagName);
        }
        String name = hasName ? runName : tagName != null && !tagName.isEmpty() ? tagName : RunNames.generate();
        if (tagName == null) {
            checked.add(new Tag(RUN_NAME_TAG, name));
        }
        long start = startTime == null ? System.currentTimeMillis() : startTime;
        String experiment =
                experimentId == null || experimentId.isEmpty() ? "0" : Validation.experimentId(experimentId);
        if (compliance.active()) {
            activeExperiment(experiment).ifPresent(e -> checked.addAll(compliance.onCreate(e.name(), checked)));
        }
        return store.createRun(new NewRun(experiment, userId == null ? "" : userId, name, start, checked));
    }

    /** An unknown or deleted experiment is left to the store, which answers as MLflow does. */
    private java.util.Optional<Experiment> activeExperiment(String experimentId) {
        try {
            Experiment e = store.getExperiment(experimentId);
            return e.lifecycleStage() == LifecycleStage.ACTIVE ? java.util.Optional.of(e) : java.util.Optional.empty();
        } catch (MlflowException e) {
            return java.util.Optional.empty();
        }
    }

    public Run getRun(String runId) {
        return store.getRun(runId);
    }

    /** A status change is checked by the policy first: an enforce rule may refuse FINISHED. */
    public RunInfo updateRun(RunUpdate update) {
        if (!compliance.active() || update.status() == null) {
            return store.updateRun(update);
        }
        Run run = store.getRun(update.runId());
        if (run.info().lifecycleStage() != LifecycleStage.ACTIVE) {
            return store.updateRun(update); // refused by the store, with MLflow's message
        }
        List<Tag> verdict = compliance.onStatus(experimentName(run), run, update.status());
        RunInfo info = store.updateRun(update);
        store.logBatch(update.runId(), List.of(), List.of(), verdict);
        return info;
    }

    /** The verdict of a run under the current policy, evaluated now. */
    public Verdict compliance(String runId) {
        Run run = store.getRun(runId);
        return compliance.evaluate(experimentName(run), run);
    }

    private String experimentName(Run run) {
        return store.getExperiment(run.info().experimentId()).name();
    }

    public void deleteRun(String runId) {
        store.deleteRun(runId);
    }

    public void restoreRun(String runId) {
        store.restoreRun(runId);
    }

    public void logMetric(String runId, Metric metric) {
        Validation.metricKey(metric.key(), "name");
        store.logBatch(runId, List.of(clamp(metric)), List.of(), List.of());
    }

    public void logParam(String runId, Param param) {
        store.logBatch(runId, List.of(), List.of(Validation.param(param, "")), List.of());
        recheck(runId, List.of(param.key()), "param '" + param.key() + "' logged");
    }

    public void setTag(String runId, Tag tag) {
        store.logBatch(runId, List.of(), List.of(), List.of(Validation.tag(notReserved(tag), "")));
        recheck(runId, List.of(tag.key()), "tag '" + tag.key() + "' set");
    }

    /**
     * Reprise's create-only tag write: RESOURCE_ALREADY_EXISTS when the run has the key already, so
     * that concurrent clients can claim a name (e.g. a reproduction's history entry number) safely.
     */
    public void createTag(String runId, Tag tag) {
        Tag checked = Validation.tag(notReserved(tag), "");
        if (!store.createTag(runId, checked)) {
            throw MlflowException.alreadyExists("Tag '%s' already exists on run '%s'", tag.key(), runId);
        }
        recheck(runId, List.of(tag.key()), "tag '" + tag.key() + "' set");
    }

    public void deleteTag(String runId, String key) {
        if (key != null && Compliance.reserved(key)) {
            throw reservedTag(key);
        }
        store.deleteTag(runId, key);
        recheck(runId, List.of(key), "tag '" + key + "' deleted");
    }

    /** Logs a batch all-or-nothing, after MLflow's limits and per-entity checks. */
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        Validation.batchLimits(metrics.size(), params.size(), tags.size());
        List<Metric> clamped = new ArrayList<>(metrics.size());
        for (int i = 0; i < metrics.size(); i++) {
            Validation.metricKey(metrics.get(i).key(), "metrics[" + i + "].name");
            clamped.add(clamp(metrics.get(i)));
        }
        List<Param> checkedParams = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            checkedParams.add(Validation.param(params.get(i), "params[" + i + "]"));
        }
        Validation.uniqueParamKeys(checkedParams);
        List<Tag> checkedTags = new ArrayList<>(tags.size());
        for (int i = 0; i < tags.size(); i++) {
            checkedTags.add(Validation.tag(notReserved(tags.get(i)), "tags[" + i + "]"));
        }
        store.logBatch(runId, clamped, checkedParams, checkedTags);
        if (!checkedParams.isEmpty() || !checkedTags.isEmpty()) {
            List<String> keys = new ArrayList<>();
            checkedParams.forEach(p -> keys.add(p.key()));
            checkedTags.forEach(t -> keys.add(t.key()));
            recheck(
                    runId,
                    keys,
                    "log-batch changed "
                            + String.join(
                                    ", ",
                                    keys.stream().filter(compliance::watches).toList()));
        }
    }

    /**
     * After a required tag or param of an ended run changed: a new verdict, and a line in its history.
     * Keys no rule mentions cost nothing (no query); a running run is judged when it ends.
     */
    private void recheck(String runId, List<String> keys, String change) {
        if (keys.stream().noneMatch(compliance::watches)) {
            return;
        }
        Run run = store.getRun(runId);
        if (run.info().status().isTerminal()) {
            store.logBatch(runId, List.of(), List.of(), compliance.onChange(experimentName(run), run, change));
        }
    }

    private static Tag notReserved(Tag tag) {
        if (tag.key() != null && Compliance.reserved(tag.key())) {
            throw reservedTag(tag.key());
        }
        return tag;
    }

    private static MlflowException reservedTag(String key) {
        return MlflowException.invalid(
                "Tag '%s' is reserved: the server sets the reprise.compliance* and reprise.policy* tags itself from"
                        + " the team policy; choose another key.",
                key);
    }

    public void logInputs(String runId, List<DatasetInput> inputs, List<String> modelIds) {
        store.logInputs(runId, inputs, modelIds);
    }

    /** Links metric points to logged models; values are clamped as the run's own points are. */
    public void logModelMetrics(String runId, List<ModelMetric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        store.logModelMetrics(
                runId,
                metrics.stream()
                        .map(m -> new ModelMetric(
                                m.modelId(), m.runId(), m.datasetName(), m.datasetDigest(), clamp(m.metric())))
                        .toList());
    }

    public void logOutputs(String runId, List<ModelOutput> outputs) {
        store.logOutputs(runId, outputs);
    }

    /** Creates a logged model; without a name it gets a generated one, as runs do. */
    public LoggedModel createLoggedModel(NewLoggedModel model) {
        Validation.loggedModelName(model.name());
        String experimentId = Validation.experimentId(model.experimentId());
        String name = model.name() == null ? RunNames.generate() : model.name();
        return store.createLoggedModel(new NewLoggedModel(
                experimentId, name, model.modelType(), model.sourceRunId(), model.tags(), model.params()));
    }

    public LoggedModel getLoggedModel(String modelId, boolean allowDeleted) {
        return store.getLoggedModel(modelId, allowDeleted);
    }

    public void deleteLoggedModel(String modelId) {
        store.deleteLoggedModel(modelId);
    }

    public LoggedModel finalizeLoggedModel(String modelId, LoggedModelStatus status) {
        return store.finalizeLoggedModel(modelId, status);
    }

    public void setLoggedModelTags(String modelId, List<Tag> tags) {
        store.setLoggedModelTags(modelId, tags);
    }

    public void deleteLoggedModelTag(String modelId, String key) {
        store.deleteLoggedModelTag(modelId, key);
    }

    public void logLoggedModelParams(String modelId, List<Param> params) {
        store.logLoggedModelParams(modelId, params);
    }

    /** Searching no experiment finds no model (an empty IN list is not SQL). */
    public Page<LoggedModel> searchLoggedModels(LoggedModelQuery query) {
        if (query.experimentIds().isEmpty()) {
            return new Page<>(List.of(), null);
        }
        return store.searchLoggedModels(query);
    }

    /** Appends a logged model's description to the run's {@code mlflow.log-model.history} tag (a JSON list). */
    public void appendModelHistory(String runId, com.fasterxml.jackson.databind.JsonNode model) {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        Run run = store.getRun(runId);
        String previous = run.data().tags().stream()
                .filter(t -> t.key().equals(MODEL_HISTORY_TAG))
                .map(Tag::value)
                .findFirst()
                .orElse("[]");
        com.fasterxml.jackson.databind.node.ArrayNode history;
        try {
            com.fasterxml.jackson.databind.JsonNode parsed = mapper.readTree(previous);
            history = parsed != null && parsed.isArray()
                    ? (com.fasterxml.jackson.databind.node.ArrayNode) parsed
                    : mapper.createArrayNode();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            history = mapper.createArrayNode();
        }
        history.add(model);
        store.logBatch(runId, List.of(), List.of(), List.of(new Tag(MODEL_HISTORY_TAG, history.toString())));
    }

    /** Searching no experiment finds no run (the store is not asked: an empty IN list is not SQL). */
    public Page<Run> searchRuns(RunQuery query) {
        if (query.experimentIds().isEmpty()) {
            return new Page<>(List.of(), null);
        }
        return store.searchRuns(query);
    }

    /** An unknown run has an empty history, as in MLflow, whose query simply finds no points. */
    public Page<Metric> getMetricHistory(String runId, String key, Integer maxResults, String pageToken) {
        try {
            return store.getMetricHistory(runId, key, maxResults, pageToken);
        } catch (MlflowException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return new Page<>(List.of(), null);
            }
            throw e;
        }
    }

    // MLflow stores infinities as the largest finite doubles, so clients read those back.
    private static Metric clamp(Metric m) {
        double v = m.value();
        if (v == Double.POSITIVE_INFINITY) {
            v = Double.MAX_VALUE;
        } else if (v == Double.NEGATIVE_INFINITY) {
            v = -Double.MAX_VALUE;
        }
        if (m.timestamp() < 0) {
            throw MlflowException.invalid(
                    "Invalid value %d for parameter 'timestamp' supplied: metric '%s' (value=%s). Timestamp must be a"
                            + " nonnegative long (64-bit integer) ",
                    m.timestamp(), m.key(), m.value());
        }
        return new Metric(m.key(), v, m.timestamp(), m.step());
    }
}
