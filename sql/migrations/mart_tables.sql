-- Purpose: the mart tables the warehouse has, so that one new to it is filled when it is created.
-- Grain: one row per table of schema mart.
SELECT table_name
FROM duckdb_tables()
WHERE schema_name = 'mart' AND database_name = current_database();
