-- Purpose: replace the staging tables with this run's frames (registered as new_files, new_rows,
-- new_findings). Grain: as in sql/schema/15_staging.sql.
DELETE FROM staging.berkas;

DELETE FROM staging.baris;

DELETE FROM staging.temuan;

INSERT INTO staging.berkas BY NAME SELECT * FROM new_files;

INSERT INTO staging.baris BY NAME SELECT * FROM new_rows;

INSERT INTO staging.temuan BY NAME SELECT * FROM new_findings;
