-- Purpose: the rejected submissions an OPD must be told about for each pemda of $pemda, tahun $tahun,
-- triwulan $triwulan: those of the quarter, and the rejected files the runs of this quarter for this pemda
-- took in whose own identity points elsewhere (another pemda, a late quarter, an unreadable quarter).
-- A file followed by a later submission of the same key is left out: the later one is what counts.
-- Grain: one row per pemda and rejected submission that names its OPD (kode_skpd).
WITH daftar AS (
    SELECT unnest($pemda::VARCHAR[]) AS kode_pemda
),

-- Each file at most once per pemda: a file of the pemda's quarter may also come from its run.
pilihan AS (
    SELECT s.kode_pemda, s.file_hash
    FROM mart.berkas AS s
    WHERE s.kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d) AND s.tahun = $tahun AND s.triwulan = $triwulan
    UNION
    SELECT r.kode_pemda, s.file_hash
    FROM mart.run AS r
    JOIN mart.berkas AS s ON s.run_id = r.run_id
    WHERE r.tahun = $tahun AND r.triwulan = $triwulan AND r.kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d)
)

SELECT p.kode_pemda, s.file_hash, s.kode_skpd,
       coalesce(s.nama_skpd, d.nama_skpd, 'OPD ' || s.kode_skpd) AS nama_skpd,
       s.nama_berkas, s.received_at, s.tahun, s.triwulan, s.revisi, s.jumlah_error, s.jumlah_peringatan,
       s.run_id
FROM pilihan AS p
JOIN mart.berkas AS s ON s.file_hash = p.file_hash
LEFT JOIN mart.opd_terdaftar AS d
       ON d.kode_pemda = p.kode_pemda AND d.tahun = $tahun AND d.kode_skpd = s.kode_skpd
WHERE s.status = 'ditolak'
  AND s.kode_skpd IS NOT NULL
  AND NOT EXISTS (
      SELECT 1
      FROM mart.berkas AS n
      WHERE n.kode_pemda = s.kode_pemda AND n.tahun = s.tahun AND n.triwulan = s.triwulan
        AND n.kode_skpd = s.kode_skpd AND n.received_at > s.received_at
  )
ORDER BY p.kode_pemda, s.kode_skpd, s.received_at, s.file_hash;
