-- Purpose: chart data, pagu and cumulative realization per strategy. Grain: one row per strategy.
SELECT nama_strategi, pagu, realisasi_kumulatif
FROM mart.rekap_strategi
WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan
ORDER BY strategi;
