-- Purpose: T6 Kelengkapan dan Validasi: per OPD, the latest file of the quarter and its outcome, then
-- the files that could not be attributed to an OPD (unreadable identity) in runs of this year, each with
-- its first three errors (mart.berkas). An OPD's file without a Revisi field is revision 0, as T2 and the
-- choice of the revision used read it.
-- Grain: per pemda of $pemda, one row per OPD, then one row per unattributed file.
WITH daftar AS (
    SELECT unnest($pemda::VARCHAR[]) AS kode_pemda
),

terakhir AS (
    SELECT DISTINCT ON (kode_pemda, kode_skpd)
        kode_pemda, kode_skpd, file_hash, received_at, nama_berkas, revisi, status, jumlah_error, jumlah_peringatan,
        kesalahan_utama
    FROM mart.berkas
    WHERE kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d) AND tahun = $tahun AND triwulan = $triwulan
    ORDER BY kode_pemda, kode_skpd, received_at DESC
),

-- Files of runs of this year whose identity could not be read: in the report of the run's pemda, or of
-- every pemda for a run of all of them.
tanpa_identitas AS (
    SELECT d.kode_pemda, b.received_at, b.nama_berkas, b.revisi, b.status, b.jumlah_error, b.jumlah_peringatan,
           b.kesalahan_utama
    FROM mart.berkas AS b
    JOIN mart.run AS r ON b.run_id = r.run_id
    JOIN daftar AS d ON r.kode_pemda IS NULL OR r.kode_pemda = d.kode_pemda
    WHERE r.tahun = $tahun
      AND (b.kode_pemda IS NULL OR b.kode_skpd IS NULL OR b.triwulan IS NULL)
)

SELECT o.kode_pemda, o.kode_skpd, o.nama_skpd,
       CASE WHEN t.file_hash IS NULL THEN 'belum' ELSE 'ya' END AS menyampaikan,
       strftime(t.received_at, '%Y-%m-%d') AS tanggal_diterima, t.nama_berkas,
       CASE WHEN t.file_hash IS NOT NULL THEN coalesce(t.revisi, 0) END AS revisi,
       CASE WHEN t.file_hash IS NULL THEN 'belum menyampaikan' ELSE t.status END AS status_berkas,
       t.jumlah_error, t.jumlah_peringatan, t.kesalahan_utama, 0 AS tingkat
FROM mart.rekap_opd AS o
LEFT JOIN terakhir AS t ON o.kode_pemda = t.kode_pemda AND o.kode_skpd = t.kode_skpd
WHERE o.kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d) AND o.tahun = $tahun AND o.triwulan = $triwulan
UNION ALL
SELECT s.kode_pemda, NULL, 'Berkas tanpa identitas yang terbaca', 'ya', strftime(s.received_at, '%Y-%m-%d'),
       s.nama_berkas, s.revisi, s.status, s.jumlah_error, s.jumlah_peringatan, s.kesalahan_utama, 0
FROM tanpa_identitas AS s
ORDER BY kode_pemda, kode_skpd NULLS LAST, nama_berkas;
