-- Search orders "best runs first" by walking a metric's index in value order. Keyed by (key, value)
-- alone, that walk also read every other experiment's runs: in a 10k-run experiment sharing the
-- database with a 100k-run one, ~22k index entries for one page (170 ms). With the experiment id
-- in front, the walk reads only the searched experiment's runs, and metric filters narrow to it too.
-- A run never changes experiment (delete and restore change only its lifecycle stage), so the copy
-- of runs.experiment_id is written once, when the run's first point of a metric is stored.
-- Rebuilt rather than altered: SQLite cannot add a NOT NULL column without a default.
CREATE TABLE latest_metrics_v6 (
    run_uuid      TEXT             NOT NULL REFERENCES runs (run_uuid),
    key           TEXT             NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    is_nan        SMALLINT         NOT NULL,
    timestamp     BIGINT           NOT NULL,
    step          BIGINT           NOT NULL,
    experiment_id BIGINT           NOT NULL,
    PRIMARY KEY (run_uuid, key)
) WITHOUT ROWID;
INSERT INTO latest_metrics_v6 (run_uuid, key, value, is_nan, timestamp, step, experiment_id)
SELECT m.run_uuid, m.key, m.value, m.is_nan, m.timestamp, m.step, r.experiment_id
FROM latest_metrics m JOIN runs r ON r.run_uuid = m.run_uuid;
DROP TABLE latest_metrics;
ALTER TABLE latest_metrics_v6 RENAME TO latest_metrics;
CREATE INDEX latest_metrics_by_experiment_key_value ON latest_metrics (experiment_id, key, value, is_nan, run_uuid);
