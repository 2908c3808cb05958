-- Purpose: chart data, serapan per OPD for one quarter. Grain: one row per OPD with a submission used.
SELECT nama_skpd, persen_serapan
FROM mart.rekap_opd
WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan AND persen_serapan IS NOT NULL
ORDER BY persen_serapan DESC, nama_skpd;
