-- Purpose: mart.berkas_dilewati, the files a run found and did not load, with why, for the steward's
-- follow-up list. A view of core.berkas_dilewati.
-- Grain: one row per file per run.
CREATE OR REPLACE VIEW mart.berkas_dilewati AS
SELECT run_id, source_path, nama_berkas, file_hash, jenis, alasan
FROM core.berkas_dilewati;
