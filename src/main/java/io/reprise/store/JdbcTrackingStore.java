package io.reprise.store;

import com.zaxxer.hikari.HikariDataSource;
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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/** The tracking store over SQLite or PostgreSQL; the SQL differs only where {@link Dialect} says. */
final class JdbcTrackingStore implements TrackingStore {
    static final String DEFAULT_EXPERIMENT_ID = "0";
    static final String DEFAULT_EXPERIMENT_NAME = "Default";

    private final HikariDataSource dataSource;
    private final HikariDataSource writes;
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final String artifactRoot;
    // Concurrent writes share a transaction and its fsync (and, on SQLite, its one writer).
    private final GroupCommit groupCommit;

    /** {@code writes}: the group commit's own pool (SQLite), or null to write through {@code dataSource}. */
    JdbcTrackingStore(HikariDataSource dataSource, HikariDataSource writes, Dialect dialect, String artifactRoot) {
        this.dataSource = dataSource;
        this.writes = writes;
        this.jdbi = jdbi(dataSource, dialect);
        this.dialect = dialect;
        this.groupCommit = new GroupCommit(writes == null ? jdbi : jdbi(writes, dialect), dialect);
        this.artifactRoot =
                artifactRoot.endsWith("/") ? artifactRoot.substring(0, artifactRoot.length() - 1) : artifactRoot;
        ensureDefaultExperiment();
    }

    private static Jdbi jdbi(HikariDataSource dataSource, Dialect dialect) {
        Jdbi jdbi = Jdbi.create(dataSource);
        if (dialect == Dialect.SQLITE) {
            jdbi.setStatementBuilderFactory(new SqliteStatementCache());
        }
        return jdbi;
    }

    private void ensureDefaultExperiment() {
        // ON CONFLICT: servers starting together on one PostgreSQL database must not both insert it.
        write(h -> h.createUpdate("""
                        INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage,
                                                 creation_time, last_update_time)
                        VALUES (0, :name, :location, 'active', :now, :now) ON CONFLICT DO NOTHING""")
                .bind("name", DEFAULT_EXPERIMENT_NAME)
                .bind("location", artifactRoot + "/0")
                .bind("now", System.currentTimeMillis())
                .execute());
    }

    Dialect dialect() {
        return dialect;
    }

    /**
     * Runs a write in a committed transaction: concurrent writes share one transaction and one
     * fsync (group commit), and each returns once it is durable. {@code work} may run more than
     * once (each time after a rollback), so it must only touch the database through {@code h}.
     */
    <T> T write(HandleCallback<T, RuntimeException> work) {
        return groupCommit.submit(work);
    }

    /** Writes waiting for the next group commit. */
    int queuedWrites() {
        return groupCommit.queued();
    }

    <T> T read(HandleCallback<T, RuntimeException> work) {
        return jdbi.withHandle(work);
    }

    // ---- experiments

    @Override
    public String createExperiment(String name, String artifactLocation, List<Tag> tags) {
        try {
            return write(h -> {
                long now = System.currentTimeMillis();
                long id = h.createUpdate("""
                                INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time,
                                                         last_update_time)
                                VALUES (:name, :location, 'active', :now, :now)""")
                        .bind("name", name)
                        .bind("location", artifactLocation)
                        .bind("now", now)
                        .executeAndReturnGeneratedKeys("experiment_id")
                        .mapTo(Long.class)
                        .one();
                if (artifactLocation == null || artifactLocation.isEmpty()) {
                    h.createUpdate("UPDATE experiments SET artifact_location = :loc WHERE experiment_id = :id")
                            .bind("loc", artifactRoot + "/" + id)
                            .bind("id", id)
                            .execute();
                }
                for (Tag tag : tags) {
                    upsertExperimentTag(h, id, tag);
                }
                return String.valueOf(id);
            });
        } catch (RuntimeException e) {
            if (Dialect.isUniqueViolation(e)) {
                throw MlflowException.alreadyExists("Experiment(name=%s) already exists.", name);
            }
            throw e;
        }
    }

    @Override
    public Experiment getExperiment(String experimentId) {
        return read(h -> experiment(h, experimentId));
    }

    private Experiment experiment(Handle h, String experimentId) {
        return experiment(h, experimentId, "");
    }

    /** The experiment, its row locked with {@code lock} (a {@link Dialect} clause) until commit. */
    private Experiment experiment(Handle h, String experimentId, String lock) {
        long id = experimentIdNumber(experimentId);
        Experiment e = h.createQuery(
                        "SELECT " + Rows.EXPERIMENT_COLUMNS + " FROM experiments e WHERE e.experiment_id = :id" + lock)
                .bind("id", id)
                .map((rs, ctx) -> Rows.experiment(rs))
                .findOne()
                .orElseThrow(() -> experimentNotFound(id));
        return withTags(h, e);
    }

    // MLflow names the parsed number: "007" is reported as 7.
    private static MlflowException experimentNotFound(long id) {
        return MlflowException.notFound("No Experiment with id=%d exists", id);
    }

    static long experimentIdNumber(String experimentId) {
        try {
            return Long.parseLong(experimentId);
        } catch (NumberFormatException e) {
            throw MlflowException.invalid(
                    "Invalid experiment ID '%s'. Experiment ID must be a valid integer.", experimentId);
        }
    }

    /** For searches: an id that is not a number matches no experiment. */
    static long experimentIdNumberOrNegative(String experimentId) {
        try {
            return Long.parseLong(experimentId);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Experiment withTags(Handle h, Experiment e) {
        List<Tag> tags = h.createQuery("SELECT key, value FROM experiment_tags WHERE experiment_id = :id ORDER BY key")
                .bind("id", Long.parseLong(e.experimentId()))
                .map((rs, ctx) -> new Tag(rs.getString(1), rs.getString(2)))
                .list();
        return new Experiment(
                e.experimentId(),
                e.name(),
                e.artifactLocation(),
                e.lifecycleStage(),
                e.creationTime(),
                e.lastUpdateTime(),
                tags);
    }

    @Override
    public Optional<Experiment> findExperimentByName(String name) {
        return read(h -> h.createQuery("SELECT " + Rows.EXPERIMENT_COLUMNS + " FROM experiments e WHERE e.name = :name")
                .bind("name", name)
                .map((rs, ctx) -> Rows.experiment(rs))
                .findOne()
                .map(e -> withTags(h, e)));
    }

    @Override
    public Page<Experiment> searchExperiments(ExperimentQuery query) {
        return read(h -> {
            Page<String> ids = ExperimentSearchSql.findIds(h, dialect, query);
            List<Experiment> experiments =
                    ids.items().stream().map(id -> experiment(h, id)).toList();
            return new Page<>(experiments, ids.nextPageToken());
        });
    }

    @Override
    public void renameExperiment(String experimentId, String newName) {
        try {
            write(h -> {
                Experiment e = experiment(h, experimentId, dialect.lockForUpdate());
                if (e.lifecycleStage() != LifecycleStage.ACTIVE) {
                    // MLflow's code and message, though INVALID_STATE answers HTTP 500.
                    throw new MlflowException(ErrorCode.INVALID_STATE, "Cannot rename a non-active experiment.");
                }
                h.createUpdate("UPDATE experiments SET name = :name, last_update_time = :now WHERE experiment_id = :id")
                        .bind("name", newName)
                        .bind("now", System.currentTimeMillis())
                        .bind("id", experimentIdNumber(experimentId))
                        .execute();
                return null;
            });
        } catch (RuntimeException e) {
            if (Dialect.isUniqueViolation(e)) {
                throw MlflowException.alreadyExists("Experiment(name=%s) already exists.", newName);
            }
            throw e;
        }
    }

    private Experiment activeExperiment(Handle h, String experimentId, String lock) {
        Experiment e = experiment(h, experimentId, lock);
        if (e.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw MlflowException.invalid(
                    "The experiment %s must be in the 'active' state. Current state is %s.",
                    experimentId, e.lifecycleStage().wire());
        }
        return e;
    }

    @Override
    public void deleteExperiment(String experimentId) {
        write(h -> {
            long id = experimentInStage(h, experimentId, LifecycleStage.ACTIVE);
            long now = System.currentTimeMillis();
            setExperimentStage(h, id, LifecycleStage.DELETED, now);
            h.createUpdate("""
                            UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = :now
                            WHERE experiment_id = :id AND lifecycle_stage = 'active'""").bind("now", now).bind("id", id).execute();
            return null;
        });
    }

    /**
     * Restores the experiment and every deleted run in it, as MLflow does: also runs deleted one by
     * one before the experiment was.
     */
    @Override
    public void restoreExperiment(String experimentId) {
        write(h -> {
            long id = experimentInStage(h, experimentId, LifecycleStage.DELETED);
            setExperimentStage(h, id, LifecycleStage.ACTIVE, System.currentTimeMillis());
            h.createUpdate("""
                            UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL
                            WHERE experiment_id = :id AND lifecycle_stage = 'deleted'""").bind("id", id).execute();
            return null;
        });
    }

    /** Locks the experiment and returns its id; one in another stage is "not found", as in MLflow. */
    private long experimentInStage(Handle h, String experimentId, LifecycleStage stage) {
        Experiment e = experiment(h, experimentId, dialect.lockForUpdate());
        long id = Long.parseLong(e.experimentId());
        if (e.lifecycleStage() != stage) {
            throw experimentNotFound(id);
        }
        return id;
    }

    private static void setExperimentStage(Handle h, long id, LifecycleStage stage, long now) {
        h.createUpdate(
                        "UPDATE experiments SET lifecycle_stage = :stage, last_update_time = :now WHERE experiment_id = :id")
                .bind("stage", stage.wire())
                .bind("now", now)
                .bind("id", id)
                .execute();
    }

    @Override
    public void setExperimentTag(String experimentId, Tag tag) {
        write(h -> {
            activeExperiment(h, experimentId, dialect.lockForShare());
            upsertExperimentTag(h, experimentIdNumber(experimentId), tag);
            return null;
        });
    }

    private static void upsertExperimentTag(Handle h, long experimentId, Tag tag) {
        h.createUpdate("""
                        INSERT INTO experiment_tags (experiment_id, key, value) VALUES (:id, :key, :value)
                        ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value""")
                .bind("id", experimentId)
                .bind("key", tag.key())
                .bind("value", tag.value())
                .execute();
    }

    @Override
    public void deleteExperimentTag(String experimentId, String key) {
        write(h -> {
            activeExperiment(h, experimentId, dialect.lockForShare());
            int n = h.createUpdate("DELETE FROM experiment_tags WHERE experiment_id = :id AND key = :key")
                    .bind("id", experimentIdNumber(experimentId))
                    .bind("key", key)
                    .execute();
            if (n == 0) {
                throw MlflowException.notFound("No tag with name: %s in experiment with id %s", key, experimentId);
            }
            return null;
        });
    }

    // ---- runs

    @Override
    public Run createRun(NewRun run) {
        return write(h -> {
            // FOR SHARE: a concurrent delete-experiment waits, so no active run lands in a deleted experiment.
            Experiment e = activeExperiment(h, run.experimentId(), dialect.lockForShare());
            String runId = UUID.randomUUID().toString().replace("-", "");
            String artifactUri = e.artifactLocation() + "/" + runId + "/artifacts";
            h.createUpdate("""
                            INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri,
                                              lifecycle_stage)
                            VALUES (:id, :exp, :name, :user, 'RUNNING', :start, :uri, 'active')""")
                    .bind("id", runId)
                    .bind("exp", Long.parseLong(e.experimentId()))
                    .bind("name", run.runName())
                    .bind("user", run.userId())
                    .bind("start", run.startTime())
                    .bind("uri", artifactUri)
                    .execute();
            RunWriter.insertTags(h, runId, run.tags());
            // The name tag always matches the name, whatever the caller's tags said.
            RunWriter.rename(h, runId, run.runName());
            return RunLoader.load(h, dialect, List.of(runId)).getFirst();
        });
    }

    @Override
    public Run getRun(String runId) {
        return read(h -> {
            List<Run> runs = RunLoader.load(h, dialect, List.of(runId));
            if (runs.isEmpty()) {
                throw runNotFound(runId);
            }
            return runs.getFirst();
        });
    }

    static MlflowException runNotFound(String runId) {
        return MlflowException.notFound("Run with id=%s not found", runId);
    }

    @Override
    public RunInfo updateRun(RunUpdate update) {
        return write(h -> {
            RunWriter.lockActive(h, dialect, update.runId());
            return RunWriter.update(h, update);
        });
    }

    @Override
    public void deleteRun(String runId) {
        write(h -> {
            RunWriter.lock(h, dialect, runId);
            h.createUpdate("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = :now WHERE run_uuid = :id")
                    .bind("now", System.currentTimeMillis())
                    .bind("id", runId)
                    .execute();
            return null;
        });
    }

    @Override
    public void restoreRun(String runId) {
        write(h -> {
            RunWriter.lock(h, dialect, runId);
            h.createUpdate("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = :id")
                    .bind("id", runId)
                    .execute();
            return null;
        });
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        write(h -> {
            RunInfo run = RunWriter.lockActive(h, dialect, runId);
            RunWriter.insertParams(h, runId, params);
            RunWriter.insertMetrics(h, dialect, run, metrics);
            RunWriter.setTags(h, runId, tags);
            return null;
        });
    }

    @Override
    public void deleteTag(String runId, String key) {
        write(h -> {
            RunWriter.lockActive(h, dialect, runId);
            int n = h.createUpdate("DELETE FROM tags WHERE run_uuid = :id AND key = :key")
                    .bind("id", runId)
                    .bind("key", key)
                    .execute();
            if (n == 0) {
                throw MlflowException.notFound("No tag with name: %s in run with id %s", key, runId);
            }
            return null;
        });
    }

    @Override
    public boolean createTag(String runId, Tag tag) {
        return write(h -> {
            RunWriter.lockActive(h, dialect, runId);
            return h.createUpdate("""
                            INSERT INTO tags (run_uuid, key, value) VALUES (:id, :key, :value)
                            ON CONFLICT (run_uuid, key) DO NOTHING""")
                            .bind("id", runId)
                            .bind("key", tag.key())
                            .bind("value", tag.value())
                            .execute()
                    == 1;
        });
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs, List<String> modelIds) {
        write(h -> {
            RunInfo info = RunWriter.lockActive(h, dialect, runId);
            RunWriter.insertInputs(h, info, inputs);
            for (String modelId : modelIds) {
                h.createUpdate("""
                                INSERT INTO run_model_inputs (run_uuid, model_id) VALUES (:run, :model)
                                ON CONFLICT DO NOTHING""").bind("run", runId).bind("model", modelId).execute();
            }
            return null;
        });
    }

    @Override
    public void logOutputs(String runId, List<ModelOutput> outputs) {
        write(h -> {
            RunWriter.lockActive(h, dialect, runId);
            for (ModelOutput o : outputs) {
                h.createUpdate("""
                                INSERT INTO run_model_outputs (run_uuid, model_id, step) VALUES (:run, :model, :step)
                                ON CONFLICT DO NOTHING""")
                        .bind("run", runId)
                        .bind("model", o.modelId())
                        .bind("step", o.step())
                        .execute();
            }
            return null;
        });
    }

    @Override
    public void logModelMetrics(String runId, List<ModelMetric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        write(h -> {
            RunInfo run = RunWriter.info(h, runId);
            LoggedModelSql.insertMetrics(h, Long.parseLong(run.experimentId()), metrics);
            return null;
        });
    }

    // ---- logged models

    @Override
    public LoggedModel createLoggedModel(NewLoggedModel m) {
        return write(h -> {
            // FOR SHARE: a concurrent delete-experiment waits, as for runs.
            Experiment e = activeExperiment(h, m.experimentId(), dialect.lockForShare());
            String modelId = "m-" + UUID.randomUUID().toString().replace("-", "");
            long now = System.currentTimeMillis();
            LoggedModel model = new LoggedModel(
                    modelId,
                    e.experimentId(),
                    m.name(),
                    modelArtifactLocation(e.artifactLocation(), modelId),
                    now,
                    now,
                    LoggedModelStatus.LOGGED_MODEL_PENDING,
                    LifecycleStage.ACTIVE,
                    m.modelType(),
                    m.sourceRunId(),
                    null,
                    m.tags(),
                    m.params(),
                    List.of());
            LoggedModelSql.insert(h, model);
            return LoggedModelSql.load(h, dialect, modelId);
        });
    }

    /** MLflow's append_to_uri_path(location, "models", id, "artifacts"): one slash between parts. */
    static String modelArtifactLocation(String experimentLocation, String modelId) {
        String base = experimentLocation == null ? "" : experimentLocation;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/models/" + modelId + "/artifacts";
    }

    @Override
    public LoggedModel getLoggedModel(String modelId, boolean allowDeleted) {
        return read(h -> {
            LoggedModel m = LoggedModelSql.load(h, dialect, modelId);
            if (!allowDeleted && m.lifecycleStage() == LifecycleStage.DELETED) {
                throw LoggedModelSql.notFound(modelId);
            }
            return m;
        });
    }

    @Override
    public void deleteLoggedModel(String modelId) {
        updateLoggedModel(modelId, "lifecycle_stage = :v", LifecycleStage.DELETED.wire());
    }

    @Override
    public LoggedModel finalizeLoggedModel(String modelId, LoggedModelStatus status) {
        return write(h -> {
            lockLoggedModel(h, modelId);
            LoggedModelSql.touch(h, modelId, "status = :v", status.number(), System.currentTimeMillis());
            return LoggedModelSql.load(h, dialect, modelId);
        });
    }

    private void updateLoggedModel(String modelId, String assignment, Object value) {
        write(h -> {
            lockLoggedModel(h, modelId);
            LoggedModelSql.touch(h, modelId, assignment, value, System.currentTimeMillis());
            return null;
        });
    }

    /** Locks the model's row until commit, so writers of one model queue (PostgreSQL). */
    private LoggedModel lockLoggedModel(Handle h, String modelId) {
        return LoggedModelSql.find(h, modelId, dialect.lockForUpdate())
                .orElseThrow(() -> LoggedModelSql.notFound(modelId));
    }

    @Override
    public void setLoggedModelTags(String modelId, List<Tag> tags) {
        write(h -> {
            lockLoggedModel(h, modelId);
            LoggedModelSql.upsertTags(h, modelId, tags);
            return null;
        });
    }

    @Override
    public void deleteLoggedModelTag(String modelId, String key) {
        write(h -> {
            lockLoggedModel(h, modelId);
            int n = h.createUpdate("DELETE FROM logged_model_tags WHERE model_id = :id AND key = :key")
                    .bind("id", modelId)
                    .bind("key", key)
                    .execute();
            if (n == 0) {
                throw MlflowException.notFound("No tag with key '%s' found for model with ID '%s'.", key, modelId);
            }
            return null;
        });
    }

    @Override
    public void logLoggedModelParams(String modelId, List<Param> params) {
        write(h -> {
            lockLoggedModel(h, modelId);
            LoggedModelSql.insertParams(h, modelId, params);
            return null;
        });
    }

    @Override
    public Page<LoggedModel> searchLoggedModels(LoggedModelQuery query) {
        return read(h -> LoggedModelSql.search(h, dialect, query));
    }

    @Override
    public Page<Run> searchRuns(RunQuery query) {
        return read(h -> {
            Page<String> ids = RunSearchSql.findIds(h, dialect, query);
            return new Page<>(RunLoader.load(h, dialect, ids.items()), ids.nextPageToken());
        });
    }

    @Override
    public List<RunCount> countRuns(RunCountQuery query) {
        return read(h -> RunCountSql.count(h, query));
    }

    @Override
    public Page<Metric> getMetricHistory(String runId, String metricKey, Integer maxResults, String pageToken) {
        return read(h -> {
            RunWriter.info(h, runId);
            int offset = PageToken.decodeOffset(pageToken);
            // One more than asked tells whether there is a next page. NaN is stored as 0 and sorts
            // as 0, as in MLflow.
            long limit = maxResults == null ? Integer.MAX_VALUE : maxResults + 1L;
            List<Metric> points = h.createQuery("""
                            SELECT key, value, is_nan, timestamp, step FROM metrics
                            WHERE run_uuid = :id AND key = :key
                            ORDER BY timestamp, step, value, is_nan
                            LIMIT :limit OFFSET :offset""")
                    .bind("id", runId)
                    .bind("key", metricKey)
                    .bind("limit", limit)
                    .bind("offset", offset)
                    .map((rs, ctx) -> Rows.metric(rs))
                    .list();
            if (maxResults != null && points.size() > maxResults) {
                return new Page<>(points.subList(0, maxResults), PageToken.encodeOffset(offset + maxResults));
            }
            return new Page<>(points, null);
        });
    }

    @Override
    public void close() {
        groupCommit.close();
        if (writes != null) {
            writes.close();
        }
        dataSource.close();
    }
}
