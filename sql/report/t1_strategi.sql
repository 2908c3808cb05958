-- Purpose: T1 Rekap per Strategi for one quarter, with a total row.
-- Grain: one row per pemda of $pemda and Inpres 4/2022 strategy (PBP, PPD, PKK), then the pemda's total
-- (even for a pemda without figures).
WITH daftar AS (
    SELECT unnest($pemda::VARCHAR[]) AS kode_pemda
),

strategi AS (
    SELECT *
    FROM mart.rekap_strategi
    WHERE kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d) AND tahun = $tahun AND triwulan = $triwulan
),

opd AS (
    SELECT kode_pemda, count(DISTINCT kode_skpd) AS jumlah_opd
    FROM mart.realisasi_rinci
    WHERE kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d) AND tahun = $tahun AND triwulan = $triwulan
    GROUP BY kode_pemda
)

SELECT * EXCLUDE (urut)
FROM (
    SELECT kode_pemda, strategi || ' - ' || nama_strategi AS strategi, jumlah_opd, jumlah_sub_kegiatan, pagu,
           realisasi_triwulan, realisasi_kumulatif, persen_serapan, sasaran_kk, 0 AS tingkat,
           list_position(['PBP', 'PPD', 'PKK'], strategi) AS urut
    FROM strategi
    UNION ALL
    SELECT d.kode_pemda, 'Jumlah', coalesce(any_value(o.jumlah_opd), 0),
           sum(s.jumlah_sub_kegiatan), sum(s.pagu), sum(s.realisasi_triwulan), sum(s.realisasi_kumulatif),
           core.persen(sum(s.realisasi_kumulatif), sum(s.pagu)), sum(s.sasaran_kk), 1, 4
    FROM daftar AS d
    LEFT JOIN strategi AS s ON s.kode_pemda = d.kode_pemda
    LEFT JOIN opd AS o ON o.kode_pemda = d.kode_pemda
    GROUP BY d.kode_pemda
) AS strategi_jumlah
ORDER BY kode_pemda, urut;
