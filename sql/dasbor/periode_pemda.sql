-- Purpose: the quarters the warehouse holds for pemda $kode_pemda, for the dashboard's period menu.
-- Grain: one row per tahun and triwulan, latest first.
SELECT DISTINCT tahun, triwulan
FROM mart.rekap_opd
WHERE kode_pemda = $kode_pemda
ORDER BY tahun DESC, triwulan DESC;
