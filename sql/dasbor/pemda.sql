-- Purpose: the dashboard's home page: every pemda the warehouse holds figures for, named as the report
-- names it (the region reference, else its files, else its code), with its province and latest quarter.
-- Grain: one row per pemda.
WITH periode AS (
    SELECT kode_pemda, max(tahun * 10 + triwulan) AS terakhir, count(DISTINCT tahun * 10 + triwulan) AS periode
    FROM mart.rekap_opd
    GROUP BY kode_pemda
),

dari_berkas AS (
    SELECT kode_pemda, mode(nama_pemda) AS nama
    FROM mart.berkas
    WHERE lolos AND kode_pemda IN (SELECT kode_pemda FROM periode)
    GROUP BY kode_pemda
)

SELECT p.kode_pemda, coalesce(w.nama_lengkap, b.nama, p.kode_pemda) AS nama_pemda,
       split_part(p.kode_pemda, '.', 1) AS kode_provinsi,
       coalesce(v.nama_lengkap, 'Provinsi ' || split_part(p.kode_pemda, '.', 1)) AS nama_provinsi,
       p.terakhir // 10 AS tahun, p.terakhir % 10 AS triwulan, p.periode
FROM periode AS p
LEFT JOIN dari_berkas AS b USING (kode_pemda)
LEFT JOIN ref.wilayah AS w ON w.kode = p.kode_pemda
LEFT JOIN ref.wilayah AS v ON v.kode = split_part(p.kode_pemda, '.', 1)
ORDER BY p.kode_pemda;
