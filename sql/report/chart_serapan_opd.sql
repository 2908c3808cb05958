-- Purpose: chart data, serapan per OPD for one quarter. Grain: one row per pemda of $pemda and OPD with a
-- submission used.
SELECT kode_pemda, nama_skpd, persen_serapan
FROM mart.rekap_opd
WHERE kode_pemda IN (SELECT unnest($pemda::VARCHAR[])) AND tahun = $tahun AND triwulan = $triwulan
  AND persen_serapan IS NOT NULL
ORDER BY kode_pemda, persen_serapan DESC, nama_skpd;
