-- Purpose: T0 Ringkasan: the pemda's headline figures for every quarter up to $triwulan, then the change
-- from the previous quarter. Grain: one row per quarter, plus one change row.
WITH opd AS (
    SELECT triwulan,
           sum(pagu) AS pagu,
           sum(realisasi_kumulatif) AS realisasi_kumulatif,
           CASE WHEN bool_or(terdaftar) THEN count(*) FILTER (WHERE terdaftar) ELSE count(*) END AS opd_diharapkan,
           count(*) FILTER (WHERE status = 'diterima') AS opd_diterima,
           count(*) FILTER (WHERE status = 'ditolak') AS opd_ditolak,
           count(*) FILTER (WHERE status = 'belum menyampaikan') AS opd_belum,
           sum(jumlah_sub_kegiatan) AS sub_kegiatan,
           coalesce(sum(sasaran_kk), 0) AS sasaran_kk
    FROM mart.rekap_opd
    WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan <= $triwulan
    GROUP BY triwulan
),
porsi AS (
    SELECT triwulan,
           core.persen(sum(pagu) FILTER (WHERE strategi = 'PBP'), sum(pagu)) AS porsi_pbp,
           core.persen(sum(pagu) FILTER (WHERE strategi = 'PPD'), sum(pagu)) AS porsi_ppd,
           core.persen(sum(pagu) FILTER (WHERE strategi = 'PKK'), sum(pagu)) AS porsi_pkk
    FROM mart.rekap_strategi
    WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan <= $triwulan
    GROUP BY triwulan
),
baris AS (
    SELECT o.triwulan, o.pagu, o.realisasi_kumulatif,
           core.persen(o.realisasi_kumulatif, o.pagu) AS persen_serapan,
           o.opd_diharapkan, o.opd_diterima, o.opd_ditolak, o.opd_belum, o.sub_kegiatan, o.sasaran_kk,
           p.porsi_pbp, p.porsi_ppd, p.porsi_pkk
    FROM opd AS o JOIN porsi AS p USING (triwulan)
)
SELECT 'Triwulan ' || ['I', 'II', 'III', 'IV'][triwulan] AS uraian, * EXCLUDE (triwulan), 0 AS tingkat
FROM baris
UNION ALL
SELECT 'Perubahan dari triwulan lalu', k.pagu - l.pagu, k.realisasi_kumulatif - l.realisasi_kumulatif,
       k.persen_serapan - l.persen_serapan, k.opd_diharapkan - l.opd_diharapkan,
       k.opd_diterima - l.opd_diterima, k.opd_ditolak - l.opd_ditolak, k.opd_belum - l.opd_belum,
       k.sub_kegiatan - l.sub_kegiatan, k.sasaran_kk - l.sasaran_kk, k.porsi_pbp - l.porsi_pbp,
       k.porsi_ppd - l.porsi_ppd, k.porsi_pkk - l.porsi_pkk, 1
FROM baris AS k JOIN baris AS l ON l.triwulan = k.triwulan - 1
WHERE k.triwulan = $triwulan
ORDER BY tingkat, uraian;
