-- Purpose: mart.rekap_opd, per OPD and quarter the figures and the state of its submission: its definition,
-- then its rebuild for every pemda and year marked in staging.rekap_ulang, in one statement (every expected
-- or submitting OPD on every quarter seen). Sums of a pemda's rows are DECIMAL(38, 2): each amount fits
-- DECIMAL(18, 2), their sum need not.
-- Grain: one row per pemda, tahun, triwulan, OPD (every expected OPD and every OPD that submitted).
CREATE TABLE IF NOT EXISTS mart.rekap_opd (
    kode_pemda          VARCHAR NOT NULL,
    tahun               INTEGER NOT NULL,
    triwulan            INTEGER NOT NULL,
    kode_skpd           VARCHAR NOT NULL,
    nama_skpd           VARCHAR NOT NULL,
    strategi            VARCHAR,
    pagu                DECIMAL(38, 2),
    realisasi_triwulan  DECIMAL(38, 2),
    realisasi_kumulatif DECIMAL(38, 2),
    tw1                 DECIMAL(38, 2),
    tw2                 DECIMAL(38, 2),
    tw3                 DECIMAL(38, 2),
    tw4                 DECIMAL(38, 2),
    persen_serapan      DECIMAL(7, 2),
    jumlah_sub_kegiatan INTEGER NOT NULL,
    sasaran_kk          BIGINT,
    status              VARCHAR NOT NULL CHECK (status IN ('diterima', 'ditolak', 'belum menyampaikan')),
    terdaftar           BOOLEAN NOT NULL,
    file_hash           VARCHAR,
    nama_berkas         VARCHAR,
    revisi              INTEGER,
    ada_revisi_ditolak  BOOLEAN NOT NULL
);

DELETE FROM mart.rekap_opd
WHERE (kode_pemda, tahun) IN (SELECT kode_pemda, tahun FROM staging.rekap_ulang);

INSERT INTO mart.rekap_opd (
    kode_pemda, tahun, triwulan, kode_skpd, nama_skpd, strategi, pagu, realisasi_triwulan,
    realisasi_kumulatif, tw1, tw2, tw3, tw4, persen_serapan, jumlah_sub_kegiatan, sasaran_kk, status,
    terdaftar, file_hash, nama_berkas, revisi, ada_revisi_ditolak
)
WITH kiriman AS (
    SELECT s.* FROM core.submission AS s
    JOIN staging.rekap_ulang USING (kode_pemda, tahun)
    WHERE s.triwulan IS NOT NULL AND s.kode_skpd IS NOT NULL
),

terdaftar AS (
    SELECT d.* FROM core.opd_terdaftar AS d JOIN staging.rekap_ulang USING (kode_pemda, tahun)
),

opd AS (
    SELECT kode_pemda, tahun, kode_skpd, nama_skpd, TRUE AS terdaftar
    FROM terdaftar
    UNION ALL
    SELECT kode_pemda, tahun, kode_skpd, arg_max(nama_skpd, received_at), FALSE
    FROM kiriman AS k
    WHERE NOT EXISTS (
        SELECT 1 FROM terdaftar AS d
        WHERE d.kode_pemda = k.kode_pemda AND d.tahun = k.tahun AND d.kode_skpd = k.kode_skpd
    )
    GROUP BY kode_pemda, tahun, kode_skpd
),

triwulan_ini AS (
    SELECT kode_pemda, tahun, unnest(range(1, max(triwulan) + 1)) AS triwulan
    FROM kiriman
    GROUP BY kode_pemda, tahun
),

angka AS (
    SELECT m.kode_pemda, m.tahun, m.triwulan, m.kode_skpd,
           string_agg(DISTINCT m.strategi, ', ' ORDER BY m.strategi) AS strategi,
           sum(m.pagu) AS pagu, sum(m.realisasi_triwulan) AS realisasi_triwulan,
           sum(m.realisasi_kumulatif) AS realisasi_kumulatif,
           sum(m.tw1) AS tw1, sum(m.tw2) AS tw2, sum(m.tw3) AS tw3, sum(m.tw4) AS tw4,
           count(DISTINCT m.kode_sub_kegiatan) AS jumlah_sub_kegiatan, sum(m.sasaran_kk) AS sasaran_kk
    FROM mart.realisasi_rinci AS m
    JOIN staging.rekap_ulang USING (kode_pemda, tahun)
    GROUP BY m.kode_pemda, m.tahun, m.triwulan, m.kode_skpd
),

keadaan AS (
    SELECT kode_pemda, tahun, triwulan, kode_skpd,
           arg_max(file_hash, received_at) FILTER (WHERE status = 'diterima') AS file_hash,
           bool_or(status = 'diterima') AS ada_diterima,
           bool_or(status = 'ditolak') AS ada_ditolak,
           bool_or(status = 'ditolak' AND received_at > (
               SELECT max(d.received_at) FROM kiriman AS d
               WHERE d.status = 'diterima' AND d.kode_pemda = k.kode_pemda AND d.tahun = k.tahun
                 AND d.triwulan = k.triwulan AND d.kode_skpd = k.kode_skpd
           )) AS ditolak_setelah_diterima
    FROM kiriman AS k
    GROUP BY kode_pemda, tahun, triwulan, kode_skpd
)

SELECT o.kode_pemda, o.tahun, q.triwulan, o.kode_skpd, o.nama_skpd,
       a.strategi, a.pagu, a.realisasi_triwulan, a.realisasi_kumulatif, a.tw1, a.tw2, a.tw3, a.tw4,
       core.persen(a.realisasi_kumulatif, a.pagu),
       coalesce(a.jumlah_sub_kegiatan, 0), a.sasaran_kk,
       CASE WHEN k.ada_diterima THEN 'diterima' WHEN k.ada_ditolak THEN 'ditolak'
            ELSE 'belum menyampaikan' END,
       o.terdaftar, k.file_hash, s.nama_berkas, s.revisi, coalesce(k.ditolak_setelah_diterima, FALSE)
FROM opd AS o
JOIN triwulan_ini AS q USING (kode_pemda, tahun)
LEFT JOIN angka AS a
  ON a.kode_pemda = o.kode_pemda AND a.tahun = o.tahun AND a.kode_skpd = o.kode_skpd
 AND a.triwulan = q.triwulan
LEFT JOIN keadaan AS k
  ON k.kode_pemda = o.kode_pemda AND k.tahun = o.tahun AND k.kode_skpd = o.kode_skpd
 AND k.triwulan = q.triwulan
LEFT JOIN core.submission AS s ON s.file_hash = k.file_hash
ORDER BY o.kode_pemda, o.tahun, q.triwulan, o.kode_skpd;
