-- Purpose: T6 Kelengkapan dan Validasi: per OPD, the latest file of the quarter and its outcome, then
-- the files that could not be attributed to an OPD (unreadable identity) in runs of this year.
-- An OPD's file without a Revisi field is revision 0, as T2 and the choice of the revision used read it.
-- Grain: one row per OPD, then one row per unattributed file.
WITH terakhir AS (
    SELECT DISTINCT ON (kode_skpd)
           kode_skpd, file_hash, received_at, nama_berkas, revisi, status, jumlah_error, jumlah_peringatan
    FROM core.submission
    WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan
    ORDER BY kode_skpd, received_at DESC
),
-- Files of runs of this year whose identity could not be read.
tanpa_identitas AS (
    SELECT s.file_hash, s.received_at, s.nama_berkas, s.revisi, s.status, s.jumlah_error, s.jumlah_peringatan
    FROM core.submission AS s
    JOIN core.run AS r USING (run_id)
    WHERE r.tahun = $tahun AND (r.kode_pemda IS NULL OR r.kode_pemda = $kode_pemda)
      AND (s.kode_pemda IS NULL OR s.kode_skpd IS NULL OR s.triwulan IS NULL)
),
-- The first three errors of each of those files (of no other: every pemda's files are in the table).
masalah AS (
    SELECT file_hash,
           string_agg(coalesce(sheet || ' ', '') || coalesce(kolom, '') || coalesce(baris::VARCHAR, '')
                      || CASE WHEN sheet IS NOT NULL OR baris IS NOT NULL THEN ': ' ELSE '' END
                      || pesan || coalesce(' [' || nilai || ']', ''), '; ' ORDER BY baris NULLS FIRST, kolom)
               FILTER (WHERE urut <= 3) AS ringkas
    FROM (
        SELECT *, row_number() OVER (PARTITION BY file_hash ORDER BY baris NULLS FIRST, kolom, aturan) AS urut
        FROM core.validation_issue
        WHERE tingkat = 'error'
          AND file_hash IN (SELECT file_hash FROM terakhir UNION ALL SELECT file_hash FROM tanpa_identitas)
    )
    GROUP BY file_hash
)
SELECT o.kode_skpd, o.nama_skpd,
       CASE WHEN t.file_hash IS NULL THEN 'belum' ELSE 'ya' END AS menyampaikan,
       strftime(t.received_at, '%Y-%m-%d') AS tanggal_diterima, t.nama_berkas,
       CASE WHEN t.file_hash IS NOT NULL THEN coalesce(t.revisi, 0) END AS revisi,
       CASE WHEN t.file_hash IS NULL THEN 'belum menyampaikan' ELSE t.status END AS status_berkas,
       t.jumlah_error, t.jumlah_peringatan, m.ringkas AS kesalahan_utama, 0 AS tingkat
FROM mart.rekap_opd AS o
LEFT JOIN terakhir AS t USING (kode_skpd)
LEFT JOIN masalah AS m ON m.file_hash = t.file_hash
WHERE o.kode_pemda = $kode_pemda AND o.tahun = $tahun AND o.triwulan = $triwulan
UNION ALL
SELECT NULL, 'Berkas tanpa identitas yang terbaca', 'ya', strftime(s.received_at, '%Y-%m-%d'), s.nama_berkas,
       s.revisi, s.status, s.jumlah_error, s.jumlah_peringatan, m.ringkas, 0
FROM tanpa_identitas AS s
LEFT JOIN masalah AS m USING (file_hash)
ORDER BY kode_skpd NULLS LAST, nama_berkas;
