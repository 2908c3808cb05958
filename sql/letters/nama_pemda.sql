-- Purpose: the name of pemda $kode_pemda for the letters: as the region reference (ref.wilayah) names its
-- code, else as its files of tahun $tahun give it (the most frequent among accepted files, else among all
-- files), else the code. Grain: one row.
SELECT coalesce(
    (
        SELECT w.nama_lengkap
        FROM ref.wilayah AS w
        WHERE w.kode = $kode_pemda AND w.tingkat IN ('provinsi', 'kabupaten/kota')
    ),
    mode(b.nama_pemda) FILTER (WHERE b.lolos), mode(b.nama_pemda), $kode_pemda
) AS nama_pemda
FROM mart.berkas AS b
WHERE b.kode_pemda = $kode_pemda AND b.tahun = $tahun;
