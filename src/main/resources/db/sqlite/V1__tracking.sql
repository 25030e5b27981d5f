-- Experiments and runs, shaped after MLflow's schema so search maps onto indexes.
CREATE TABLE experiments (
    experiment_id     INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT    NOT NULL UNIQUE,
    artifact_location TEXT,
    lifecycle_stage   TEXT    NOT NULL,
    creation_time     BIGINT  NOT NULL,
    last_update_time  BIGINT  NOT NULL
);

CREATE TABLE experiment_tags (
    experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
    key           TEXT    NOT NULL,
    value         TEXT    NOT NULL,
    PRIMARY KEY (experiment_id, key)
);

CREATE TABLE runs (
    run_uuid        TEXT    PRIMARY KEY,
    experiment_id   INTEGER NOT NULL REFERENCES experiments (experiment_id),
    name            TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    start_time      BIGINT  NOT NULL,
    end_time        BIGINT,
    deleted_time    BIGINT,
    artifact_uri    TEXT    NOT NULL,
    lifecycle_stage TEXT    NOT NULL
);
CREATE INDEX runs_by_experiment ON runs (experiment_id, lifecycle_stage, start_time DESC, run_uuid);

CREATE TABLE params (
    run_uuid TEXT NOT NULL REFERENCES runs (run_uuid),
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (run_uuid, key)
);
CREATE INDEX params_by_key_value ON params (key, value);

CREATE TABLE tags (
    run_uuid TEXT NOT NULL REFERENCES runs (run_uuid),
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (run_uuid, key)
);
CREATE INDEX tags_by_key_value ON tags (key, value);

-- Every logged point; identical points collapse, as in MLflow. NaN is stored as 0 with is_nan = 1.
CREATE TABLE metrics (
    run_uuid  TEXT             NOT NULL REFERENCES runs (run_uuid),
    key       TEXT             NOT NULL,
    value     DOUBLE PRECISION NOT NULL,
    is_nan    SMALLINT         NOT NULL,
    timestamp BIGINT           NOT NULL,
    step      BIGINT           NOT NULL,
    PRIMARY KEY (run_uuid, key, timestamp, step, value, is_nan)
);

-- The point with the greatest (step, timestamp, value) per run and key: what run data and search show.
CREATE TABLE latest_metrics (
    run_uuid  TEXT             NOT NULL REFERENCES runs (run_uuid),
    key       TEXT             NOT NULL,
    value     DOUBLE PRECISION NOT NULL,
    is_nan    SMALLINT         NOT NULL,
    timestamp BIGINT           NOT NULL,
    step      BIGINT           NOT NULL,
    PRIMARY KEY (run_uuid, key)
);
CREATE INDEX latest_metrics_by_key_value ON latest_metrics (key, value);

CREATE TABLE datasets (
    dataset_uuid  TEXT    PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
    name          TEXT    NOT NULL,
    digest        TEXT    NOT NULL,
    source_type   TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    schema        TEXT,
    profile       TEXT,
    UNIQUE (experiment_id, name, digest)
);

CREATE TABLE run_inputs (
    run_uuid     TEXT NOT NULL REFERENCES runs (run_uuid),
    dataset_uuid TEXT NOT NULL REFERENCES datasets (dataset_uuid),
    PRIMARY KEY (run_uuid, dataset_uuid)
);

CREATE TABLE input_tags (
    run_uuid     TEXT NOT NULL,
    dataset_uuid TEXT NOT NULL,
    key          TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (run_uuid, dataset_uuid, key),
    FOREIGN KEY (run_uuid, dataset_uuid) REFERENCES run_inputs (run_uuid, dataset_uuid)
);
