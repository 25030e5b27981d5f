-- Run data tables become WITHOUT ROWID: their primary key is the row (metrics) or nearly all of it,
-- so a rowid table kept every row twice, in the table and again in the key's index. Stored by key,
-- each write touches one B-tree instead of two (log-batch: a third less time) and each lookup by
-- (run, key), which search does per candidate run, is one search instead of two.
-- Nothing references these tables, so they can be rebuilt with foreign keys on.

CREATE TABLE metrics_v4 (
    run_uuid  TEXT             NOT NULL REFERENCES runs (run_uuid),
    key       TEXT             NOT NULL,
    value     DOUBLE PRECISION NOT NULL,
    is_nan    SMALLINT         NOT NULL,
    timestamp BIGINT           NOT NULL,
    step      BIGINT           NOT NULL,
    PRIMARY KEY (run_uuid, key, timestamp, step, value, is_nan)
) WITHOUT ROWID;
INSERT INTO metrics_v4 SELECT run_uuid, key, value, is_nan, timestamp, step FROM metrics;
DROP TABLE metrics;
ALTER TABLE metrics_v4 RENAME TO metrics;

CREATE TABLE latest_metrics_v4 (
    run_uuid  TEXT             NOT NULL REFERENCES runs (run_uuid),
    key       TEXT             NOT NULL,
    value     DOUBLE PRECISION NOT NULL,
    is_nan    SMALLINT         NOT NULL,
    timestamp BIGINT           NOT NULL,
    step      BIGINT           NOT NULL,
    PRIMARY KEY (run_uuid, key)
) WITHOUT ROWID;
INSERT INTO latest_metrics_v4 SELECT run_uuid, key, value, is_nan, timestamp, step FROM latest_metrics;
DROP TABLE latest_metrics;
ALTER TABLE latest_metrics_v4 RENAME TO latest_metrics;
CREATE INDEX latest_metrics_by_key_value ON latest_metrics (key, value, is_nan, run_uuid);

CREATE TABLE params_v4 (
    run_uuid TEXT NOT NULL REFERENCES runs (run_uuid),
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (run_uuid, key)
) WITHOUT ROWID;
INSERT INTO params_v4 SELECT run_uuid, key, value FROM params;
DROP TABLE params;
ALTER TABLE params_v4 RENAME TO params;
CREATE INDEX params_by_key_value ON params (key, value, run_uuid);

CREATE TABLE tags_v4 (
    run_uuid TEXT NOT NULL REFERENCES runs (run_uuid),
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (run_uuid, key)
) WITHOUT ROWID;
INSERT INTO tags_v4 SELECT run_uuid, key, value FROM tags;
DROP TABLE tags;
ALTER TABLE tags_v4 RENAME TO tags;
CREATE INDEX tags_by_key_value ON tags (key, value, run_uuid);
