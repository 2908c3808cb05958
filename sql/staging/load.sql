-- Purpose: one run's intake, replaced at the start of every run (internal).
-- Grain: staging.berkas one row per new file; staging.baris one row per data row; staging.temuan one
-- row per finding.
CREATE OR REPLACE TABLE staging.berkas AS SELECT * FROM new_files;
CREATE OR REPLACE TABLE staging.baris AS SELECT * FROM new_rows;
CREATE OR REPLACE TABLE staging.temuan AS SELECT * FROM new_findings;
