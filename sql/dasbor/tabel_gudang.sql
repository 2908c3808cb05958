-- Purpose: the tables of the attached published warehouse (catalog `gudang`), to refuse one published by an
-- older rekap-ke that lacks tables the pages read. Grain: one row per table.
SELECT schema_name || '.' || table_name AS nama
FROM duckdb_tables()
WHERE database_name = 'gudang';
