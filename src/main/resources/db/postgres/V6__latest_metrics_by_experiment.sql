-- Search orders "best runs first" by walking a metric's index in value order. Keyed by (key, value)
-- alone, that walk also read every other experiment's runs; with the experiment id in front it
-- reads only the searched experiment's, and metric filters narrow to it too.
-- A run never changes experiment (delete and restore change only its lifecycle stage), so the copy
-- of runs.experiment_id is written once, when the run's first point of a metric is stored.
ALTER TABLE latest_metrics ADD COLUMN experiment_id BIGINT;
UPDATE latest_metrics m SET experiment_id = r.experiment_id FROM runs r WHERE r.run_uuid = m.run_uuid;
ALTER TABLE latest_metrics ALTER COLUMN experiment_id SET NOT NULL;
DROP INDEX latest_metrics_by_key_value;
CREATE INDEX latest_metrics_by_experiment_key_value ON latest_metrics (experiment_id, key, value, is_nan, run_uuid);
