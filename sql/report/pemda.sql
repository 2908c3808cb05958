-- Purpose: the pemda a run reports on: the one asked for (always, even when none of its files was
-- accepted), else every pemda with figures that year whose code is well formed (a code read from a
-- rejected file may be anything, and it names the report's files). Grain: one row per pemda.
SELECT $kode_pemda AS kode_pemda
WHERE $kode_pemda IS NOT NULL
UNION
SELECT DISTINCT kode_pemda
FROM mart.rekap_opd
WHERE $kode_pemda IS NULL AND tahun = $tahun AND regexp_full_match(kode_pemda, '[0-9]{2}(\.[0-9]{2})?')
ORDER BY kode_pemda;
