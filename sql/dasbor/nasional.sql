-- Purpose: the Nasional page: every province with figures in tahun $tahun, triwulan $triwulan, its own OPDs
-- and its kab/kota added up from mart.rekap_provinsi (by code prefix; pagu and realization equal the Jumlah
-- row of the province's T8), then the total. Grain: one row per province (tingkat 0), then the total (1).
WITH angka AS (
    SELECT kode_provinsi, grouping(kode_provinsi) AS rollup,
           count(*) AS jumlah_pemda,
           sum(jumlah_opd) AS jumlah_opd,
           sum(opd_diterima) AS opd_diterima,
           sum(opd_belum) AS opd_belum,
           coalesce(sum(pagu), 0) AS pagu,
           coalesce(sum(realisasi_triwulan), 0) AS realisasi_triwulan,
           coalesce(sum(realisasi_kumulatif), 0) AS realisasi_kumulatif
    FROM mart.rekap_provinsi
    WHERE tahun = $tahun AND triwulan = $triwulan
    GROUP BY ROLLUP (kode_provinsi)
)

SELECT a.kode_provinsi,
       CASE WHEN a.rollup = 1 THEN 'Jumlah nasional' ELSE coalesce(w.nama_lengkap, 'Provinsi ' || a.kode_provinsi) END
           AS nama_provinsi,
       a.jumlah_pemda, a.jumlah_opd, a.opd_diterima, a.opd_belum,
       a.pagu, a.realisasi_triwulan, a.realisasi_kumulatif,
       core.persen(a.realisasi_kumulatif, a.pagu) AS persen_serapan,
       a.rollup AS tingkat
FROM angka AS a
LEFT JOIN ref.wilayah AS w ON w.kode = a.kode_provinsi AND a.rollup = 0
ORDER BY a.rollup, a.kode_provinsi;
