-- Purpose: T8 Provinsi dan Kabupaten/Kota, in the report of a province (kode NN): the province's own OPDs
-- beside each of its kab/kota (kode_pemda NN.NN with the province's prefix), each rolled up to one row,
-- then the total of the province and its kab/kota.
-- Grain: one row per pemda (the province first, then each kab/kota by code), then the total.
WITH opd AS (
    SELECT *
    FROM mart.rekap_opd
    WHERE tahun = $tahun AND triwulan = $triwulan
      AND (kode_pemda = $kode_pemda OR starts_with(kode_pemda, $kode_pemda || '.'))
),

nama AS (
    SELECT kode_pemda, mode(nama_pemda) AS nama_pemda
    FROM mart.berkas
    WHERE lolos AND tahun = $tahun AND (kode_pemda = $kode_pemda OR starts_with(kode_pemda, $kode_pemda || '.'))
    GROUP BY kode_pemda
),

angka AS (
    SELECT kode_pemda, grouping(kode_pemda) AS rollup,
           CASE WHEN bool_or(terdaftar) THEN count(*) FILTER (WHERE terdaftar) ELSE count(*) END AS opd_diharapkan,
           count(*) FILTER (WHERE status = 'diterima') AS opd_diterima,
           count(*) FILTER (WHERE status = 'ditolak') AS opd_ditolak,
           count(*) FILTER (WHERE status = 'belum menyampaikan') AS opd_belum,
           coalesce(sum(pagu), 0) AS pagu,
           coalesce(sum(realisasi_triwulan), 0) AS realisasi_triwulan,
           coalesce(sum(realisasi_kumulatif), 0) AS realisasi_kumulatif,
           coalesce(sum(sasaran_kk), 0) AS sasaran_kk
    FROM opd
    GROUP BY ROLLUP (kode_pemda)
)

-- Each pemda by the region reference's name, else by its files' (most frequent), else by its code.
SELECT a.kode_pemda,
       CASE WHEN a.rollup = 1 THEN 'Jumlah provinsi dan kabupaten/kota'
            WHEN a.kode_pemda = $kode_pemda
                THEN coalesce(w.nama_lengkap, n.nama_pemda, a.kode_pemda) || ' (OPD provinsi)'
            ELSE coalesce(w.nama_lengkap, n.nama_pemda, a.kode_pemda) END AS nama_pemda,
       a.opd_diharapkan, a.opd_diterima, a.opd_ditolak, a.opd_belum,
       a.pagu, a.realisasi_triwulan, a.realisasi_kumulatif,
       core.persen(a.realisasi_kumulatif, a.pagu) AS persen_serapan, a.sasaran_kk,
       a.rollup AS tingkat
FROM angka AS a
LEFT JOIN nama AS n USING (kode_pemda)
LEFT JOIN ref.wilayah AS w ON w.kode = a.kode_pemda
ORDER BY a.rollup, a.kode_pemda <> $kode_pemda, a.kode_pemda;
