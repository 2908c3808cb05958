-- Purpose: record the files this run found and did not load (registered as dilewati_baru), with why.
-- Grain: one row per file.
INSERT INTO core.berkas_dilewati (run_id, source_path, nama_berkas, file_hash, jenis, alasan)
SELECT $run_id, source_path, nama_berkas, file_hash, jenis, alasan
FROM dilewati_baru
ORDER BY jenis, source_path;
