-- Purpose: T2 Rekap per OPD for one quarter, with a total row.
-- Grain: one row per OPD (expected or submitting), then the total.
SELECT kode_skpd, nama_skpd, strategi, pagu, tw1, tw2, tw3, tw4, realisasi_kumulatif, persen_serapan,
       status || CASE WHEN ada_revisi_ditolak THEN ' (revisi terakhir ditolak)' ELSE '' END AS status,
       CASE WHEN file_hash IS NOT NULL THEN 'revisi ' || coalesce(revisi, 0) || ': ' || nama_berkas END AS dipakai,
       0 AS tingkat
FROM mart.rekap_opd
WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan
UNION ALL
SELECT NULL, 'Jumlah', NULL, sum(pagu), sum(tw1), sum(tw2), sum(tw3), sum(tw4), sum(realisasi_kumulatif),
       core.persen(sum(realisasi_kumulatif), sum(pagu)),
       count(*) FILTER (WHERE status = 'diterima') || ' dari ' || count(*) || ' OPD diterima', NULL, 1
FROM mart.rekap_opd
WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan
ORDER BY tingkat, kode_skpd;
