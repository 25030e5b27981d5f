-- PostgreSQL's V3 moves long param/tag values out of its B-tree indexes; SQLite's indexes take any
-- length, so nothing changes here. The file keeps both schemas at the same version.
SELECT 1;
