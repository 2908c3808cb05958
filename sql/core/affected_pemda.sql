-- Purpose: the (pemda, tahun) pairs whose marts a quarter of this run touched.
-- Grain: one row per pemda and year.
SELECT DISTINCT kode_pemda, tahun
FROM staging.berkas
WHERE triwulan IS NOT DISTINCT FROM $triwulan AND kode_pemda IS NOT NULL AND tahun IS NOT NULL
ORDER BY ALL;
