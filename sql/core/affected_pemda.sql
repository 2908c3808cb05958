-- Purpose: mark the (pemda, tahun) pairs whose marts a quarter of this run touched, for the set-based
-- rebuild in sql/marts/. Grain: one row per pemda and year in staging.rekap_ulang.
DELETE FROM staging.rekap_ulang;

INSERT INTO staging.rekap_ulang
SELECT DISTINCT kode_pemda, tahun
FROM staging.berkas
WHERE triwulan IS NOT DISTINCT FROM $triwulan AND kode_pemda IS NOT NULL AND tahun IS NOT NULL
ORDER BY ALL;
