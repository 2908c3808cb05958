-- Purpose: the files run $run_id found and did not load, with why, for the steward's follow-up list.
-- Grain: one row per file.
SELECT jenis, nama_berkas, source_path, alasan
FROM mart.berkas_dilewati
WHERE run_id = $run_id
ORDER BY jenis, source_path;
