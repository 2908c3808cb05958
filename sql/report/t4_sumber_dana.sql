-- Purpose: T4 Sumber Dana x Strategi for one quarter: pagu and cumulative realization of each sumber dana
-- split by Inpres 4/2022 strategy, with the row totals, and a total row.
-- Grain: per pemda of $pemda, one row per sumber dana used, then the total (even for a pemda without rows,
-- as a rollup over no rows has it).
WITH nama(sumber_dana, uraian, urut) AS (
    VALUES ('PAD', 'Pendapatan Asli Daerah (PAD)', 1), ('DAU', 'Dana Alokasi Umum (DAU)', 2),
           ('DBH', 'Dana Bagi Hasil (DBH)', 3), ('DAK_FISIK', 'DAK Fisik', 4),
           ('DAK_NONFISIK', 'DAK Nonfisik', 5), ('DID', 'Insentif Fiskal (DID)', 6),
           ('BANKEU', 'Bantuan Keuangan Provinsi', 7), ('DANA_DESA', 'Dana Desa', 8),
           ('BLUD', 'BLUD', 9), ('LAINNYA', 'Lainnya', 10)
),

angka AS (
    SELECT d.kode_pemda, r.sumber_dana, grouping(r.sumber_dana) AS rollup,
           coalesce(sum(pagu) FILTER (WHERE strategi = 'PBP'), 0) AS pagu_pbp,
           coalesce(sum(realisasi_kumulatif) FILTER (WHERE strategi = 'PBP'), 0) AS realisasi_pbp,
           coalesce(sum(pagu) FILTER (WHERE strategi = 'PPD'), 0) AS pagu_ppd,
           coalesce(sum(realisasi_kumulatif) FILTER (WHERE strategi = 'PPD'), 0) AS realisasi_ppd,
           coalesce(sum(pagu) FILTER (WHERE strategi = 'PKK'), 0) AS pagu_pkk,
           coalesce(sum(realisasi_kumulatif) FILTER (WHERE strategi = 'PKK'), 0) AS realisasi_pkk,
           coalesce(sum(pagu), 0) AS pagu,
           coalesce(sum(realisasi_kumulatif), 0) AS realisasi_kumulatif
    FROM (SELECT unnest($pemda::VARCHAR[]) AS kode_pemda) AS d
    LEFT JOIN mart.realisasi_rinci AS r ON r.kode_pemda = d.kode_pemda AND r.tahun = $tahun AND r.triwulan = $triwulan
    GROUP BY d.kode_pemda, ROLLUP (r.sumber_dana)
    HAVING grouping(r.sumber_dana) = 1 OR count(r.kode_pemda) > 0
)

SELECT a.kode_pemda,
       CASE WHEN a.rollup = 1 THEN 'Jumlah' ELSE coalesce(n.uraian, a.sumber_dana) END AS sumber_dana,
       a.pagu_pbp, a.realisasi_pbp, a.pagu_ppd, a.realisasi_ppd, a.pagu_pkk, a.realisasi_pkk,
       a.pagu, a.realisasi_kumulatif,
       core.persen(a.realisasi_kumulatif, a.pagu) AS persen_serapan,
       core.persen(a.pagu, sum(a.pagu) FILTER (WHERE a.rollup = 1) OVER (PARTITION BY a.kode_pemda)) AS porsi_pagu,
       a.rollup AS tingkat
FROM angka AS a
LEFT JOIN nama AS n USING (sumber_dana)
ORDER BY a.kode_pemda, a.rollup, n.urut NULLS LAST, a.sumber_dana;
