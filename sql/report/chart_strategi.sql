-- Purpose: chart data, pagu and cumulative realization per strategy. Grain: one row per pemda of $pemda and
-- strategy.
SELECT kode_pemda, nama_strategi, pagu, realisasi_kumulatif
FROM mart.rekap_strategi
WHERE kode_pemda IN (SELECT unnest($pemda::VARCHAR[])) AND tahun = $tahun AND triwulan = $triwulan
ORDER BY kode_pemda, strategi;
