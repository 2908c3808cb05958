-- Purpose: mark the (pemda, tahun) pairs whose marts the staged files of quarter $triwulan touch (NULL: the
-- files whose quarter could not be read), for the set-based rebuild in sql/marts/. Staging, not core: it
-- reads only this run's intake and writes only this run's work list, which no reader relies on.
-- Grain: one row per pemda and year in staging.rekap_ulang.
DELETE FROM staging.rekap_ulang;

INSERT INTO staging.rekap_ulang (kode_pemda, tahun)
SELECT DISTINCT kode_pemda, tahun
FROM staging.berkas
WHERE triwulan IS NOT DISTINCT FROM $triwulan AND kode_pemda IS NOT NULL AND tahun IS NOT NULL
ORDER BY ALL;
