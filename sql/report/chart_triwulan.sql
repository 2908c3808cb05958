-- Purpose: chart data, each pemda's realization within each quarter up to $triwulan, each from that
-- quarter's own figures (so an OPD missing later still counts in the quarters it reported; the bars
-- equal T0's "realisasi dalam triwulan"). Grain: one row per pemda of $pemda and quarter.
SELECT kode_pemda, triwulan, coalesce(sum(realisasi_triwulan), 0) AS realisasi
FROM mart.rekap_opd
WHERE kode_pemda IN (SELECT unnest($pemda::VARCHAR[])) AND tahun = $tahun AND triwulan <= $triwulan
GROUP BY kode_pemda, triwulan
ORDER BY kode_pemda, triwulan;
