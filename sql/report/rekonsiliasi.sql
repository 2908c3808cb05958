-- Purpose: reconciliation of the sources of the report for one quarter. The pagu and cumulative realization
-- that T0, T1 and T2 are built from (mart.rekap_opd, mart.rekap_strategi) must equal the rows T3, T4 and T5
-- are built from (mart.realisasi_rinci), and so must the pagu of the accepted files used (core.realisasi).
-- Grain: one row per source and figure that disagrees (no row when everything agrees).
WITH acuan AS (
    SELECT coalesce(sum(pagu), 0) AS pagu, coalesce(sum(realisasi_kumulatif), 0) AS realisasi_kumulatif
    FROM mart.realisasi_rinci
    WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan
),

sumber AS (
    SELECT 'mart.rekap_opd (T0, T2)' AS sumber, coalesce(sum(pagu), 0) AS pagu,
           coalesce(sum(realisasi_kumulatif), 0) AS realisasi_kumulatif
    FROM mart.rekap_opd
    WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan
    UNION ALL
    SELECT 'mart.rekap_strategi (T0, T1)', coalesce(sum(pagu), 0), coalesce(sum(realisasi_kumulatif), 0)
    FROM mart.rekap_strategi
    WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan
    UNION ALL
    -- The files carry the pagu as reported; realization may be derived, so only pagu is compared here.
    -- A row of core.realisasi carries the identity of its file (both are written from the staged file):
    -- filtering on it spares the scan most of the table, where the join alone reads every row's file_hash.
    SELECT 'core.realisasi (berkas yang dipakai)', coalesce(sum(r.pagu), 0), NULL
    FROM core.realisasi AS r
    JOIN core.submission AS s USING (file_hash)
    WHERE s.status = 'diterima' AND s.kode_pemda = $kode_pemda AND s.tahun = $tahun AND s.triwulan = $triwulan
      AND r.kode_pemda = $kode_pemda AND r.tahun = $tahun AND r.triwulan = $triwulan
)

-- Each figure apart (a union rather than unnesting a list per source, which DuckDB plans as a costly
-- dependent join).
SELECT s.sumber, 'pagu' AS angka, s.pagu AS nilai, a.pagu AS acuan
FROM sumber AS s, acuan AS a
WHERE s.pagu <> a.pagu
UNION ALL
SELECT s.sumber, 'realisasi_kumulatif', s.realisasi_kumulatif AS nilai, a.realisasi_kumulatif AS acuan
FROM sumber AS s, acuan AS a
WHERE s.realisasi_kumulatif IS NOT NULL AND s.realisasi_kumulatif <> a.realisasi_kumulatif
ORDER BY sumber, angka;
