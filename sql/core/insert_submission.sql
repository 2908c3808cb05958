-- Purpose: record the staged files of one quarter (or, with $triwulan NULL, the files whose quarter
-- could not be read) as submissions. Grain: one row per new file.
INSERT INTO core.submission (
    file_hash, source_path, nama_berkas, format, ukuran_byte, kode_pemda, nama_pemda, tahun, triwulan,
    kode_skpd, nama_skpd, revisi, tanggal_laporan, penanggung_jawab, received_at, run_id, rows_read,
    rows_accepted, rows_rejected, jumlah_error, jumlah_peringatan, lolos, status
)
SELECT f.file_hash, f.source_path, f.nama_berkas, f.format, f.ukuran_byte, f.kode_pemda, f.nama_pemda,
       f.tahun, f.triwulan, f.kode_skpd, f.nama_skpd, f.revisi, f.tanggal_laporan, f.penanggung_jawab,
       f.received_at, $run_id, f.rows_read,
       CASE WHEN e.errors = 0 THEN f.rows_read ELSE 0 END,
       CASE WHEN e.errors = 0 THEN 0 ELSE f.rows_read END,
       e.errors, e.warnings, e.errors = 0,
       CASE WHEN e.errors = 0 THEN 'diterima' ELSE 'ditolak' END
FROM staging.berkas AS f
CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE t.tingkat = 'error') AS errors,
           count(*) FILTER (WHERE t.tingkat = 'warning') AS warnings
    FROM staging.temuan AS t WHERE t.file_hash = f.file_hash
) AS e
WHERE f.triwulan IS NOT DISTINCT FROM $triwulan
ORDER BY f.received_at;
