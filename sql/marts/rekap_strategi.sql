-- Purpose: rebuild mart.rekap_strategi for every pemda and year marked in staging.rekap_ulang, in one
-- statement, from mart.realisasi_rinci.
-- Grain: one row per pemda, tahun, triwulan, strategi (all three, zero when a strategy has no row).
DELETE FROM mart.rekap_strategi
WHERE (kode_pemda, tahun) IN (SELECT kode_pemda, tahun FROM staging.rekap_ulang);

INSERT INTO mart.rekap_strategi
WITH strategi(strategi, nama_strategi, urut) AS (
    VALUES ('PBP', 'Pengurangan Beban Pengeluaran', 1), ('PPD', 'Peningkatan Pendapatan', 2),
           ('PKK', 'Penurunan Kantong Kemiskinan', 3)
),
kuartal AS (
    SELECT DISTINCT o.kode_pemda, o.tahun, o.triwulan
    FROM mart.rekap_opd AS o JOIN staging.rekap_ulang AS u USING (kode_pemda, tahun)
),
angka AS (
    SELECT m.kode_pemda, m.tahun, m.triwulan, m.strategi,
           count(DISTINCT m.kode_skpd) AS jumlah_opd,
           count(DISTINCT (m.kode_skpd, m.kode_sub_kegiatan)) AS jumlah_sub_kegiatan,
           sum(m.pagu) AS pagu, sum(m.realisasi_triwulan) AS realisasi_triwulan,
           sum(m.realisasi_kumulatif) AS realisasi_kumulatif, sum(m.sasaran_kk) AS sasaran_kk
    FROM mart.realisasi_rinci AS m
    JOIN staging.rekap_ulang AS u USING (kode_pemda, tahun)
    GROUP BY m.kode_pemda, m.tahun, m.triwulan, m.strategi
)
SELECT q.kode_pemda, q.tahun, q.triwulan, s.strategi, s.nama_strategi,
       coalesce(a.jumlah_opd, 0), coalesce(a.jumlah_sub_kegiatan, 0),
       coalesce(a.pagu, 0), coalesce(a.realisasi_triwulan, 0), coalesce(a.realisasi_kumulatif, 0),
       core.persen(a.realisasi_kumulatif, a.pagu),
       coalesce(a.sasaran_kk, 0)
FROM kuartal AS q
CROSS JOIN strategi AS s
LEFT JOIN angka AS a
  ON a.kode_pemda = q.kode_pemda AND a.tahun = q.tahun AND a.triwulan = q.triwulan
 AND a.strategi = s.strategi
ORDER BY q.kode_pemda, q.tahun, q.triwulan, s.urut;
