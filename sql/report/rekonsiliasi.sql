-- Purpose: reconciliation of the sources of the report for one quarter. The pagu and cumulative realization
-- that T0, T1 and T2 are built from (mart.rekap_opd, mart.rekap_strategi) must equal the rows T3, T4 and T5
-- are built from (mart.realisasi_rinci), and so must the pagu of the accepted files used (core.realisasi).
-- Grain: one row per pemda of $pemda, source and figure that disagrees (no row when everything agrees).
WITH daftar AS (
    SELECT unnest($pemda::VARCHAR[]) AS kode_pemda
),

rinci AS (
    SELECT kode_pemda, sum(pagu) AS pagu, sum(realisasi_kumulatif) AS realisasi_kumulatif
    FROM mart.realisasi_rinci
    WHERE kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d) AND tahun = $tahun AND triwulan = $triwulan
    GROUP BY kode_pemda
),

opd AS (
    SELECT kode_pemda, sum(pagu) AS pagu, sum(realisasi_kumulatif) AS realisasi_kumulatif
    FROM mart.rekap_opd
    WHERE kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d) AND tahun = $tahun AND triwulan = $triwulan
    GROUP BY kode_pemda
),

strategi AS (
    SELECT kode_pemda, sum(pagu) AS pagu, sum(realisasi_kumulatif) AS realisasi_kumulatif
    FROM mart.rekap_strategi
    WHERE kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d) AND tahun = $tahun AND triwulan = $triwulan
    GROUP BY kode_pemda
),

-- The files carry the pagu as reported; realization may be derived, so only pagu is compared here.
-- A row of core.realisasi carries the identity of its file (both are written from the staged file):
-- filtering on it spares the scan most of the table, where the join alone reads every row's file_hash.
dipakai AS (
    SELECT r.kode_pemda, sum(r.pagu) AS pagu
    FROM core.realisasi AS r
    JOIN core.submission AS s USING (file_hash)
    WHERE s.status = 'diterima' AND s.kode_pemda = r.kode_pemda AND s.tahun = $tahun AND s.triwulan = $triwulan
      AND r.kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d) AND r.tahun = $tahun AND r.triwulan = $triwulan
    GROUP BY r.kode_pemda
),

-- Every pemda asked for has each figure, 0 where it has no row.
acuan AS (
    SELECT d.kode_pemda, coalesce(r.pagu, 0) AS pagu, coalesce(r.realisasi_kumulatif, 0) AS realisasi_kumulatif
    FROM daftar AS d
    LEFT JOIN rinci AS r ON r.kode_pemda = d.kode_pemda
),

sumber AS (
    SELECT d.kode_pemda, 'mart.rekap_opd (T0, T2)' AS sumber, coalesce(o.pagu, 0) AS pagu,
           coalesce(o.realisasi_kumulatif, 0) AS realisasi_kumulatif
    FROM daftar AS d
    LEFT JOIN opd AS o ON o.kode_pemda = d.kode_pemda
    UNION ALL
    SELECT d.kode_pemda, 'mart.rekap_strategi (T0, T1)', coalesce(s.pagu, 0), coalesce(s.realisasi_kumulatif, 0)
    FROM daftar AS d
    LEFT JOIN strategi AS s ON s.kode_pemda = d.kode_pemda
    UNION ALL
    SELECT d.kode_pemda, 'core.realisasi (berkas yang dipakai)', coalesce(p.pagu, 0), NULL
    FROM daftar AS d
    LEFT JOIN dipakai AS p ON p.kode_pemda = d.kode_pemda
)

-- Each figure apart (a union rather than unnesting a list per source, which DuckDB plans as a costly
-- dependent join).
SELECT s.kode_pemda, s.sumber, 'pagu' AS angka, s.pagu AS nilai, a.pagu AS acuan
FROM sumber AS s
JOIN acuan AS a ON a.kode_pemda = s.kode_pemda
WHERE s.pagu <> a.pagu
UNION ALL
SELECT s.kode_pemda, s.sumber, 'realisasi_kumulatif', s.realisasi_kumulatif AS nilai,
       a.realisasi_kumulatif AS acuan
FROM sumber AS s
JOIN acuan AS a ON a.kode_pemda = s.kode_pemda
WHERE s.realisasi_kumulatif IS NOT NULL AND s.realisasi_kumulatif <> a.realisasi_kumulatif
ORDER BY kode_pemda, sumber, angka;
