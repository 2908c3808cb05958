-- Purpose: `rekap ekspor`: every table and view of schema mart, to be written as Parquet, with its name
-- and its qualified name. Grain: one row per mart table or view.
SELECT table_name AS nama, schema_name || '.' || table_name AS tabel
FROM duckdb_tables()
WHERE schema_name = 'mart'
UNION
SELECT view_name AS nama, schema_name || '.' || view_name AS tabel
FROM duckdb_views()
WHERE schema_name = 'mart'
ORDER BY nama;
