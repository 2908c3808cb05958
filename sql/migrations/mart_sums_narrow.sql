-- Purpose: how many sums of mart.rekap_opd and mart.rekap_strategi an older warehouse still holds as
-- DECIMAL(18, 2) (widened by mart_sums_decimal38.sql). Grain: one row.
SELECT count(*) AS narrow
FROM duckdb_columns()
WHERE schema_name = 'mart' AND table_name IN ('rekap_opd', 'rekap_strategi') AND data_type = 'DECIMAL(18,2)';
