-- Purpose: the Nasional page: every province with figures in tahun $tahun, triwulan $triwulan, its own OPDs
-- and its kab/kota rolled up as T8 rolls them up for its report (by code prefix), then the total.
-- Grain: one row per province (tingkat 0), then the total (1).
WITH angka AS (
    SELECT split_part(kode_pemda, '.', 1) AS kode_provinsi, grouping(split_part(kode_pemda, '.', 1)) AS rollup,
           count(DISTINCT kode_pemda) AS jumlah_pemda,
           CASE WHEN bool_or(terdaftar) THEN count(*) FILTER (WHERE terdaftar) ELSE count(*) END AS opd_diharapkan,
           count(*) FILTER (WHERE status = 'diterima') AS opd_diterima,
           count(*) FILTER (WHERE status = 'ditolak') AS opd_ditolak,
           count(*) FILTER (WHERE status = 'belum menyampaikan') AS opd_belum,
           coalesce(sum(pagu), 0) AS pagu,
           coalesce(sum(realisasi_triwulan), 0) AS realisasi_triwulan,
           coalesce(sum(realisasi_kumulatif), 0) AS realisasi_kumulatif,
           coalesce(sum(sasaran_kk), 0) AS sasaran_kk
    FROM mart.rekap_opd
    WHERE tahun = $tahun AND triwulan = $triwulan
    GROUP BY ROLLUP (split_part(kode_pemda, '.', 1))
)
SELECT a.kode_provinsi,
       CASE WHEN a.rollup = 1 THEN 'Jumlah nasional' ELSE coalesce(w.nama_lengkap, 'Provinsi ' || a.kode_provinsi) END
           AS nama_provinsi,
       a.jumlah_pemda, a.opd_diharapkan, a.opd_diterima, a.opd_ditolak, a.opd_belum,
       a.pagu, a.realisasi_triwulan, a.realisasi_kumulatif,
       core.persen(a.realisasi_kumulatif, a.pagu) AS persen_serapan, a.sasaran_kk,
       a.rollup AS tingkat
FROM angka AS a
LEFT JOIN ref.wilayah AS w ON w.kode = a.kode_provinsi AND a.rollup = 0
ORDER BY a.rollup, a.kode_provinsi;
