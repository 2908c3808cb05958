-- Purpose: the name of each pemda of $pemda for the letters: as the region reference (ref.wilayah) names its
-- code, else as its files of tahun $tahun give it (the most frequent among accepted files, else among all
-- files), else the code. Grain: one row per pemda of $pemda.
WITH daftar AS (
    SELECT unnest($pemda::VARCHAR[]) AS kode_pemda
),

berkas AS (
    SELECT kode_pemda, mode(nama_pemda) FILTER (WHERE lolos) AS diterima, mode(nama_pemda) AS semua
    FROM mart.berkas
    WHERE kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d) AND tahun = $tahun
    GROUP BY kode_pemda
)

SELECT d.kode_pemda, coalesce(w.nama_lengkap, b.diterima, b.semua, d.kode_pemda) AS nama_pemda
FROM daftar AS d
LEFT JOIN ref.wilayah AS w ON w.kode = d.kode_pemda AND w.tingkat IN ('provinsi', 'kabupaten/kota')
LEFT JOIN berkas AS b ON b.kode_pemda = d.kode_pemda
ORDER BY d.kode_pemda;
