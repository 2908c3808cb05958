-- Purpose: the files one run rejected, with the OPD they name and their first three errors, for the
-- steward's log and the run's notification. Grain: one row per rejected file of run $run_id.
SELECT nama_berkas, kode_skpd, nama_skpd, triwulan, jumlah_error, kesalahan_utama
FROM mart.berkas
WHERE run_id = $run_id AND NOT lolos
ORDER BY nama_berkas, file_hash;
