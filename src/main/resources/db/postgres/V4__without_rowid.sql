-- SQLite's V4 stores run data tables by their primary key; PostgreSQL's heap tables have no rowid
-- to drop. The file keeps both schemas at the same version.
SELECT 1;
