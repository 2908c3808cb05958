-- Purpose: chart data, realization in each quarter as known at $triwulan. Grain: one row per quarter.
SELECT q.triwulan, coalesce(sum(CASE q.triwulan WHEN 1 THEN tw1 WHEN 2 THEN tw2 WHEN 3 THEN tw3 ELSE tw4 END), 0)
FROM mart.rekap_opd, range(1, 5) AS q(triwulan)
WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND rekap_opd.triwulan = $triwulan AND q.triwulan <= $triwulan
GROUP BY q.triwulan
ORDER BY q.triwulan;
