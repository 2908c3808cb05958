-- Purpose: the rejected submissions an OPD must be told about for pemda $kode_pemda, tahun $tahun,
-- triwulan $triwulan: those of the quarter, and the rejected files the runs of this quarter for this pemda
-- took in whose own identity points elsewhere (another pemda, a late quarter, an unreadable quarter).
-- A file followed by a later submission of the same key is left out: the later one is what counts.
-- Grain: one row per rejected submission that names its OPD (kode_skpd).
WITH run_triwulan AS (
    SELECT run_id
    FROM mart.run
    WHERE tahun = $tahun AND triwulan = $triwulan AND kode_pemda = $kode_pemda
)

SELECT s.file_hash, s.kode_skpd,
       coalesce(s.nama_skpd, d.nama_skpd, 'OPD ' || s.kode_skpd) AS nama_skpd,
       s.nama_berkas, s.received_at, s.tahun, s.triwulan, s.revisi, s.jumlah_error, s.jumlah_peringatan,
       s.run_id
FROM mart.berkas AS s
LEFT JOIN mart.opd_terdaftar AS d
       ON d.kode_pemda = $kode_pemda AND d.tahun = $tahun AND d.kode_skpd = s.kode_skpd
WHERE s.status = 'ditolak'
  AND s.kode_skpd IS NOT NULL
  AND ((s.kode_pemda = $kode_pemda AND s.tahun = $tahun AND s.triwulan = $triwulan)
       OR s.run_id IN (SELECT run_id FROM run_triwulan))
  AND NOT EXISTS (
      SELECT 1
      FROM mart.berkas AS n
      WHERE n.kode_pemda = s.kode_pemda AND n.tahun = s.tahun AND n.triwulan = s.triwulan
        AND n.kode_skpd = s.kode_skpd AND n.received_at > s.received_at
  )
ORDER BY s.kode_skpd, s.received_at, s.file_hash;
