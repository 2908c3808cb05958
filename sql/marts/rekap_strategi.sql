-- Purpose: rebuild mart.rekap_strategi for one pemda and year from mart.realisasi_rinci.
-- Grain: one row per pemda, tahun, triwulan, strategi (all three, zero when a strategy has no row).
DELETE FROM mart.rekap_strategi WHERE kode_pemda = $kode_pemda AND tahun = $tahun;

INSERT INTO mart.rekap_strategi
WITH strategi(strategi, nama_strategi, urut) AS (
    VALUES ('PBP', 'Pengurangan Beban Pengeluaran', 1), ('PPD', 'Peningkatan Pendapatan', 2),
           ('PKK', 'Penurunan Kantong Kemiskinan', 3)
),
kuartal AS (
    SELECT DISTINCT triwulan FROM mart.rekap_opd WHERE kode_pemda = $kode_pemda AND tahun = $tahun
),
angka AS (
    SELECT triwulan, strategi,
           count(DISTINCT kode_skpd) AS jumlah_opd,
           count(DISTINCT (kode_skpd, kode_sub_kegiatan)) AS jumlah_sub_kegiatan,
           sum(pagu) AS pagu, sum(realisasi_triwulan) AS realisasi_triwulan,
           sum(realisasi_kumulatif) AS realisasi_kumulatif, sum(sasaran_kk) AS sasaran_kk
    FROM mart.realisasi_rinci
    WHERE kode_pemda = $kode_pemda AND tahun = $tahun
    GROUP BY ALL
)
SELECT $kode_pemda, $tahun, q.triwulan, s.strategi, s.nama_strategi,
       coalesce(a.jumlah_opd, 0), coalesce(a.jumlah_sub_kegiatan, 0),
       coalesce(a.pagu, 0), coalesce(a.realisasi_triwulan, 0), coalesce(a.realisasi_kumulatif, 0),
       core.persen(a.realisasi_kumulatif, a.pagu),
       coalesce(a.sasaran_kk, 0)
FROM kuartal AS q
CROSS JOIN strategi AS s
LEFT JOIN angka AS a ON a.triwulan = q.triwulan AND a.strategi = s.strategi
ORDER BY q.triwulan, s.urut;
