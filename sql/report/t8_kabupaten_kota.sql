-- Purpose: T8 Provinsi dan Kabupaten/Kota, in the report of each province (kode NN) of $pemda: the
-- province's own OPDs beside each of its kab/kota (kode_pemda NN.NN with the province's prefix), each rolled
-- up to one row, then the total of the province and its kab/kota (even for a province without rows).
-- Grain: per province (`kode_provinsi`), one row per pemda (the province first, then each kab/kota by code),
-- then the total.
WITH provinsi AS (
    SELECT unnest($pemda::VARCHAR[]) AS kode_provinsi
),

-- Few rows per province (its pemda's OPDs of the quarter): each province is matched to them directly.
opd AS (
    SELECT p.kode_provinsi, o.*
    FROM provinsi AS p
    LEFT JOIN mart.rekap_opd AS o
           ON o.tahun = $tahun AND o.triwulan = $triwulan
          AND (o.kode_pemda = p.kode_provinsi OR starts_with(o.kode_pemda, p.kode_provinsi || '.'))
),

nama AS (
    SELECT kode_pemda, mode(nama_pemda) AS nama_pemda
    FROM mart.berkas
    WHERE lolos AND tahun = $tahun AND kode_pemda IN (SELECT o.kode_pemda FROM opd AS o)
    GROUP BY kode_pemda
),

angka AS (
    SELECT kode_provinsi, kode_pemda, grouping(kode_pemda) AS rollup,
           CASE WHEN bool_or(terdaftar) THEN count(kode_pemda) FILTER (WHERE terdaftar) ELSE count(kode_pemda) END
               AS opd_diharapkan,
           count(*) FILTER (WHERE status = 'diterima') AS opd_diterima,
           count(*) FILTER (WHERE status = 'ditolak') AS opd_ditolak,
           count(*) FILTER (WHERE status = 'belum menyampaikan') AS opd_belum,
           coalesce(sum(pagu), 0) AS pagu,
           coalesce(sum(realisasi_triwulan), 0) AS realisasi_triwulan,
           coalesce(sum(realisasi_kumulatif), 0) AS realisasi_kumulatif,
           coalesce(sum(sasaran_kk), 0) AS sasaran_kk
    FROM opd
    GROUP BY kode_provinsi, ROLLUP (kode_pemda)
    HAVING grouping(kode_pemda) = 1 OR count(kode_pemda) > 0
)

-- Each pemda by the region reference's name, else by its files' (most frequent), else by its code.
SELECT a.kode_provinsi, a.kode_pemda,
       CASE WHEN a.rollup = 1 THEN 'Jumlah provinsi dan kabupaten/kota'
            WHEN a.kode_pemda = a.kode_provinsi
                THEN coalesce(w.nama_lengkap, n.nama_pemda, a.kode_pemda) || ' (OPD provinsi)'
            ELSE coalesce(w.nama_lengkap, n.nama_pemda, a.kode_pemda) END AS nama_pemda,
       a.opd_diharapkan, a.opd_diterima, a.opd_ditolak, a.opd_belum,
       a.pagu, a.realisasi_triwulan, a.realisasi_kumulatif,
       core.persen(a.realisasi_kumulatif, a.pagu) AS persen_serapan, a.sasaran_kk,
       a.rollup AS tingkat
FROM angka AS a
LEFT JOIN nama AS n USING (kode_pemda)
LEFT JOIN ref.wilayah AS w ON w.kode = a.kode_pemda
ORDER BY a.kode_provinsi, a.rollup, a.kode_pemda <> a.kode_provinsi, a.kode_pemda;
