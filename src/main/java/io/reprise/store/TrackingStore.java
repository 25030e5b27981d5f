package io.reprise.store;

import io.reprise.model.DatasetInput;
import io.reprise.model.Experiment;
import io.reprise.model.LoggedModel;
import io.reprise.model.LoggedModelStatus;
import io.reprise.model.Metric;
import io.reprise.model.ModelMetric;
import io.reprise.model.ModelOutput;
import io.reprise.model.Page;
import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.model.RunInfo;
import io.reprise.model.Tag;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage of experiments and runs. Every method is one transaction: when it returns, the
 * write is committed. Failures a client caused throw {@link io.reprise.model.MlflowException} with
 * MLflow's error code; implementations never let a {@code SQLException} escape.
 *
 * <p>Inputs are already validated by the tracking service (key names, lengths, limits); the store
 * enforces what needs the stored state: uniqueness, existence, lifecycle and param immutability.
 */
public interface TrackingStore extends AutoCloseable {

    /** Creates an experiment and returns its id; a taken name is RESOURCE_ALREADY_EXISTS. */
    String createExperiment(String name, String artifactLocation, List<Tag> tags);

    /**
     * The experiment with this id, active or deleted; RESOURCE_DOES_NOT_EXIST if none,
     * INVALID_PARAMETER_VALUE if the id is not an integer (as for every experiment id below).
     */
    Experiment getExperiment(String experimentId);

    /** The experiment with this exact name, active or deleted. */
    Optional<Experiment> findExperimentByName(String name);

    /** Experiments matching MLflow's experiment filter grammar, one page at a time. */
    Page<Experiment> searchExperiments(ExperimentQuery query);

    /**
     * Renames an active experiment; the new name must be free (else RESOURCE_ALREADY_EXISTS). A
     * deleted experiment is INVALID_STATE "Cannot rename a non-active experiment.", as in MLflow.
     */
    void renameExperiment(String experimentId, String newName);

    /** Soft-deletes an active experiment and all its runs; a deleted one is RESOURCE_DOES_NOT_EXIST. */
    void deleteExperiment(String experimentId);

    /**
     * Restores a deleted experiment and every deleted run in it, as MLflow does (also runs deleted
     * before the experiment was); an active one is RESOURCE_DOES_NOT_EXIST.
     */
    void restoreExperiment(String experimentId);

    /** Sets (or overwrites) an experiment tag. */
    void setExperimentTag(String experimentId, Tag tag);

    /** Deletes an experiment tag; RESOURCE_DOES_NOT_EXIST if it is not set. */
    void deleteExperimentTag(String experimentId, String key);

    /** Creates a run in an active experiment and returns it. */
    Run createRun(NewRun run);

    /** The run with this id, active or deleted; RESOURCE_DOES_NOT_EXIST if none. */
    Run getRun(String runId);

    /**
     * Updates the given (non-null) fields of an active run; a new non-empty name also rewrites the
     * name tag.
     */
    RunInfo updateRun(RunUpdate update);

    /** Soft-deletes a run. */
    void deleteRun(String runId);

    /** Restores a deleted run. */
    void restoreRun(String runId);

    /**
     * Logs metrics, params and tags of an active run atomically: a param whose key is already
     * logged with another value rejects the whole batch. Identical metric points are stored once; a
     * later tag of the same key wins; a non-empty {@code mlflow.runName} tag renames the run.
     */
    void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags);

    /** Deletes a run tag; RESOURCE_DOES_NOT_EXIST if it is not set. */
    void deleteTag(String runId, String key);

    /**
     * Sets a run tag only if the run has no tag of that key, atomically: of two concurrent calls for
     * one key exactly one returns true. False when the key was already set (its value is unchanged).
     */
    boolean createTag(String runId, Tag tag);

    /** Records datasets an active run used; logging the same dataset again is a no-op. */
    default void logInputs(String runId, List<DatasetInput> inputs) {
        logInputs(runId, inputs, List.of());
    }

    /**
     * Records datasets and logged models (by id, not checked, as in MLflow) an active run used;
     * logging the same input again is a no-op.
     */
    void logInputs(String runId, List<DatasetInput> inputs, List<String> modelIds);

    /** Records logged models an active run produced, at a step; model ids are not checked, as in MLflow. */
    void logOutputs(String runId, List<ModelOutput> outputs);

    /**
     * Links metric points a run logged with a model id to that model (the run's own metrics are
     * logged separately, as MLflow does); identical points are stored once. Model ids are not checked.
     */
    void logModelMetrics(String runId, List<ModelMetric> metrics);

    /**
     * Creates a logged model, PENDING, in an active experiment; its artifacts go to
     * {@code <experiment artifact location>/models/<model id>/artifacts}.
     */
    LoggedModel createLoggedModel(NewLoggedModel model);

    /** The model; a deleted one only if {@code allowDeleted}, else RESOURCE_DOES_NOT_EXIST. */
    LoggedModel getLoggedModel(String modelId, boolean allowDeleted);

    /** Soft-deletes a model (again, if already deleted: MLflow finds deleted models here). */
    void deleteLoggedModel(String modelId);

    /** Sets a model's status and returns it. */
    LoggedModel finalizeLoggedModel(String modelId, LoggedModelStatus status);

    /** Sets (or overwrites) model tags. */
    void setLoggedModelTags(String modelId, List<Tag> tags);

    /** Deletes a model tag; RESOURCE_DOES_NOT_EXIST if it is not set. */
    void deleteLoggedModelTag(String modelId, String key);

    /** Adds model params; a key already logged with another value is INVALID_PARAMETER_VALUE. */
    void logLoggedModelParams(String modelId, List<Param> params);

    /** Active models of the experiments matching MLflow's logged-model filter, one page at a time. */
    Page<LoggedModel> searchLoggedModels(LoggedModelQuery query);

    /** Runs matching MLflow's run filter grammar, one page at a time. */
    Page<Run> searchRuns(RunQuery query);

    /**
     * How many active runs there are, grouped as the query asks, counted in the database (a page
     * showing the counts of a 100k-run experiment reads counts, not runs). Read-only.
     */
    List<RunCount> countRuns(RunCountQuery query);

    /**
     * Every point of one metric of a run, ordered by timestamp, step and value (NaN sorting as 0, as
     * MLflow stores it); {@code maxResults} null means all from the token's offset on.
     */
    Page<Metric> getMetricHistory(String runId, String metricKey, Integer maxResults, String pageToken);

    @Override
    void close();
}
