-- Purpose: mart.rekap_strategi, per Inpres 4/2022 strategy and quarter the pemda's totals: its definition,
-- then its rebuild from mart.realisasi_rinci for every pemda and year marked in staging.rekap_ulang, in one
-- statement. Sums of a pemda's rows are DECIMAL(38, 2): each amount fits DECIMAL(18, 2), their sum need not.
-- Grain: one row per pemda, tahun, triwulan, strategi (all three strategies, zero when unused).
CREATE TABLE IF NOT EXISTS mart.rekap_strategi (
    kode_pemda          VARCHAR NOT NULL,
    tahun               INTEGER NOT NULL,
    triwulan            INTEGER NOT NULL,
    strategi            VARCHAR NOT NULL,
    nama_strategi       VARCHAR NOT NULL,
    jumlah_opd          INTEGER NOT NULL,
    jumlah_sub_kegiatan INTEGER NOT NULL,
    pagu                DECIMAL(38, 2) NOT NULL,
    realisasi_triwulan  DECIMAL(38, 2) NOT NULL,
    realisasi_kumulatif DECIMAL(38, 2) NOT NULL,
    persen_serapan      DECIMAL(7, 2),
    sasaran_kk          BIGINT NOT NULL
);

DELETE FROM mart.rekap_strategi
WHERE (kode_pemda, tahun) IN (SELECT kode_pemda, tahun FROM staging.rekap_ulang);

INSERT INTO mart.rekap_strategi (
    kode_pemda, tahun, triwulan, strategi, nama_strategi, jumlah_opd, jumlah_sub_kegiatan, pagu,
    realisasi_triwulan, realisasi_kumulatif, persen_serapan, sasaran_kk
)
WITH strategi(strategi, nama_strategi, urut) AS (
    VALUES ('PBP', 'Pengurangan Beban Pengeluaran', 1), ('PPD', 'Peningkatan Pendapatan', 2),
           ('PKK', 'Penurunan Kantong Kemiskinan', 3)
),

triwulan_ini AS (
    SELECT DISTINCT o.kode_pemda, o.tahun, o.triwulan
    FROM mart.rekap_opd AS o JOIN staging.rekap_ulang USING (kode_pemda, tahun)
),

angka AS (
    SELECT m.kode_pemda, m.tahun, m.triwulan, m.strategi,
           count(DISTINCT m.kode_skpd) AS jumlah_opd,
           count(DISTINCT row(m.kode_skpd, m.kode_sub_kegiatan)) AS jumlah_sub_kegiatan,
           sum(m.pagu) AS pagu, sum(m.realisasi_triwulan) AS realisasi_triwulan,
           sum(m.realisasi_kumulatif) AS realisasi_kumulatif, sum(m.sasaran_kk) AS sasaran_kk
    FROM mart.realisasi_rinci AS m
    JOIN staging.rekap_ulang USING (kode_pemda, tahun)
    GROUP BY m.kode_pemda, m.tahun, m.triwulan, m.strategi
)

SELECT q.kode_pemda, q.tahun, q.triwulan, s.strategi, s.nama_strategi,
       coalesce(a.jumlah_opd, 0), coalesce(a.jumlah_sub_kegiatan, 0),
       coalesce(a.pagu, 0), coalesce(a.realisasi_triwulan, 0), coalesce(a.realisasi_kumulatif, 0),
       core.persen(a.realisasi_kumulatif, a.pagu),
       coalesce(a.sasaran_kk, 0)
FROM triwulan_ini AS q
CROSS JOIN strategi AS s
LEFT JOIN angka AS a
  ON a.kode_pemda = q.kode_pemda AND a.tahun = q.tahun AND a.triwulan = q.triwulan
 AND a.strategi = s.strategi
ORDER BY q.kode_pemda, q.tahun, q.triwulan, s.urut;
