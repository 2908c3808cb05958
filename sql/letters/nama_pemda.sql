-- Purpose: the name of pemda $kode_pemda for the letters: as the region reference (ref.wilayah) names its
-- code, else as its files of tahun $tahun give it (the most frequent among accepted files, else among all
-- files), else the code. Grain: one row.
SELECT coalesce(
    (SELECT nama_lengkap FROM ref.wilayah WHERE kode = $kode_pemda AND tingkat IN ('provinsi', 'kabupaten/kota')),
    mode(nama_pemda) FILTER (WHERE lolos), mode(nama_pemda), $kode_pemda) AS nama_pemda
FROM core.submission
WHERE kode_pemda = $kode_pemda AND tahun = $tahun;
