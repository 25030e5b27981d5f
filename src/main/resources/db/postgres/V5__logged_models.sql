-- MLflow 3.x logged models: the model, its tags and params, and which runs produced or used it.
CREATE TABLE logged_models (
    model_id                  TEXT    NOT NULL PRIMARY KEY,
    experiment_id             BIGINT  NOT NULL REFERENCES experiments (experiment_id),
    name                      TEXT    NOT NULL,
    artifact_location         TEXT    NOT NULL,
    creation_timestamp_ms     BIGINT  NOT NULL,
    last_updated_timestamp_ms BIGINT  NOT NULL,
    status                    INTEGER NOT NULL,
    lifecycle_stage           TEXT    NOT NULL,
    model_type                TEXT,
    source_run_id             TEXT,
    status_message            TEXT
);
-- search's default order: newest first within an experiment
CREATE INDEX logged_models_by_experiment
    ON logged_models (experiment_id, lifecycle_stage, creation_timestamp_ms DESC, model_id);
CREATE INDEX logged_models_by_source_run ON logged_models (source_run_id);

CREATE TABLE logged_model_tags (
    model_id TEXT NOT NULL REFERENCES logged_models (model_id),
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (model_id, key)
);

CREATE TABLE logged_model_params (
    model_id TEXT NOT NULL REFERENCES logged_models (model_id),
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (model_id, key)
);

-- Run -> model links. As in MLflow, the model id is not checked against logged_models: a client
-- may link a model it has not created here yet.
CREATE TABLE run_model_outputs (
    run_uuid TEXT   NOT NULL REFERENCES runs (run_uuid),
    model_id TEXT   NOT NULL,
    step     BIGINT NOT NULL,
    PRIMARY KEY (run_uuid, model_id, step)
);

CREATE TABLE run_model_inputs (
    run_uuid TEXT NOT NULL REFERENCES runs (run_uuid),
    model_id TEXT NOT NULL,
    PRIMARY KEY (run_uuid, model_id)
);

-- Metric points a run logged with a model_id (MLflow's logged_model_metrics); NaN is stored as 0
-- with is_nan = 1, as for run metrics. Identical points of one run collapse.
CREATE TABLE logged_model_metrics (
    model_id       TEXT             NOT NULL,
    key            TEXT             NOT NULL,
    timestamp      BIGINT           NOT NULL,
    step           BIGINT           NOT NULL,
    run_uuid       TEXT             NOT NULL,
    value          DOUBLE PRECISION NOT NULL,
    is_nan         SMALLINT         NOT NULL,
    experiment_id  BIGINT           NOT NULL,
    dataset_name   TEXT,
    dataset_digest TEXT,
    PRIMARY KEY (model_id, key, timestamp, step, run_uuid)
);
CREATE INDEX logged_model_metrics_by_key_value ON logged_model_metrics (key, value, model_id);
