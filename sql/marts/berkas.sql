-- Purpose: mart.berkas, every submitted file as readers see it (the report's T6, the run's log, the letters,
-- the dashboard): its identity, outcome and first three errors, each located as Excel shows it. Its
-- definition, then its rebuild for the staged files and every file of the pemda and years marked in
-- staging.rekap_ulang (a new revision changes the status of the earlier ones). A warehouse made before this
-- mart gets it whole at its first rebuild (when it is empty).
-- Grain: one row per submission (file_hash).
CREATE TABLE IF NOT EXISTS mart.berkas (
    file_hash         VARCHAR NOT NULL,
    nama_berkas       VARCHAR NOT NULL,
    source_path       VARCHAR NOT NULL,
    kode_pemda        VARCHAR,
    nama_pemda        VARCHAR,
    tahun             INTEGER,
    triwulan          INTEGER,
    kode_skpd         VARCHAR,
    nama_skpd         VARCHAR,
    revisi            INTEGER,
    received_at       TIMESTAMP NOT NULL,
    run_id            VARCHAR NOT NULL,
    jumlah_error      INTEGER NOT NULL,
    jumlah_peringatan INTEGER NOT NULL,
    lolos             BOOLEAN NOT NULL,
    status            VARCHAR NOT NULL CHECK (status IN ('diterima', 'ditolak', 'digantikan')),
    kesalahan_utama   VARCHAR
);

DELETE FROM mart.berkas
WHERE file_hash IN (SELECT file_hash FROM staging.berkas)
   OR (kode_pemda, tahun) IN (SELECT kode_pemda, tahun FROM staging.rekap_ulang);

INSERT INTO mart.berkas (
    file_hash, nama_berkas, source_path, kode_pemda, nama_pemda, tahun, triwulan, kode_skpd, nama_skpd,
    revisi, received_at, run_id, jumlah_error, jumlah_peringatan, lolos, status, kesalahan_utama
)
WITH dibangun AS (
    SELECT s.*
    FROM core.submission AS s
    WHERE s.file_hash IN (SELECT b.file_hash FROM staging.berkas AS b)
       OR (s.kode_pemda, s.tahun) IN (SELECT u.kode_pemda, u.tahun FROM staging.rekap_ulang AS u)
       OR NOT EXISTS (SELECT 1 FROM mart.berkas)
),

-- Each error as one phrase (`Realisasi I12: ... [nilai]`), numbered within its file by row, column, rule.
kesalahan AS (
    SELECT v.file_hash,
           coalesce(v.sheet || ' ', '') || coalesce(v.kolom, '') || coalesce(v.baris::VARCHAR, '')
           || CASE WHEN v.sheet IS NOT NULL OR v.baris IS NOT NULL THEN ': ' ELSE '' END
           || v.pesan || coalesce(' [' || v.nilai || ']', '') AS uraian,
           row_number() OVER (PARTITION BY v.file_hash ORDER BY v.baris NULLS FIRST, v.kolom, v.aturan) AS urut
    FROM core.validation_issue AS v
    WHERE v.tingkat = 'error' AND v.file_hash IN (SELECT d.file_hash FROM dibangun AS d WHERE NOT d.lolos)
),

utama AS (
    SELECT file_hash, string_agg(uraian, '; ' ORDER BY urut) AS kesalahan_utama
    FROM kesalahan
    WHERE urut <= 3
    GROUP BY file_hash
)

SELECT d.file_hash, d.nama_berkas, d.source_path, d.kode_pemda, d.nama_pemda, d.tahun, d.triwulan,
       d.kode_skpd, d.nama_skpd, d.revisi, d.received_at, d.run_id, d.jumlah_error, d.jumlah_peringatan,
       d.lolos, d.status, u.kesalahan_utama
FROM dibangun AS d
LEFT JOIN utama AS u ON d.file_hash = u.file_hash
ORDER BY d.file_hash;
