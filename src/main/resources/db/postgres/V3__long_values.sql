-- A B-tree entry holds at most ~2.7 kB, but MLflow allows 6,000-character param values and
-- 8,000-character tag values: with the value in the B-tree, PostgreSQL refused long values.
-- Keep the (key, run) B-tree and find values by a hash index, which stores only a hash.
DROP INDEX params_by_key_value;
CREATE INDEX params_by_key ON params (key, run_uuid);
CREATE INDEX params_by_value ON params USING hash (value);

DROP INDEX tags_by_key_value;
CREATE INDEX tags_by_key ON tags (key, run_uuid);
CREATE INDEX tags_by_value ON tags USING hash (value);
