-- Purpose: chart data, the pemda's realization within each quarter up to $triwulan, each from that
-- quarter's own figures (so an OPD missing later still counts in the quarters it reported; the bars
-- equal T0's "realisasi dalam triwulan"). Grain: one row per quarter.
SELECT triwulan, coalesce(sum(realisasi_triwulan), 0) AS realisasi
FROM mart.rekap_opd
WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan <= $triwulan
GROUP BY triwulan
ORDER BY triwulan;
