-- Purpose: whether core.submission was made with a PRIMARY KEY on file_hash (an older warehouse), whose
-- index DuckDB writes again whole at every checkpoint: rekap/warehouse.py create_schema then makes it again
-- without (submission_aside.sql, submission_back.sql). Grain: one row (0 or 1).
SELECT count(*) AS indexed
FROM duckdb_constraints()
WHERE schema_name = 'core' AND table_name = 'submission' AND constraint_type = 'PRIMARY KEY';
