-- Purpose: the pemda a run reports on: the one asked for, else every pemda with figures that year.
-- Grain: one row per pemda.
SELECT DISTINCT kode_pemda
FROM mart.rekap_opd
WHERE tahun = $tahun AND ($kode_pemda IS NULL OR kode_pemda = $kode_pemda)
ORDER BY kode_pemda;
