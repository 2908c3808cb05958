-- Purpose: the name of the pemda for the report's headers: as the region reference (ref.wilayah) names its
-- code, else as its accepted files of tahun $tahun give it (most frequent), else the code. Grain: one row.
SELECT coalesce(
    (
        SELECT w.nama_lengkap
        FROM ref.wilayah AS w
        WHERE w.kode = $kode_pemda AND w.tingkat IN ('provinsi', 'kabupaten/kota')
    ),
    mode(b.nama_pemda), $kode_pemda
) AS nama_pemda
FROM mart.berkas AS b
WHERE b.kode_pemda = $kode_pemda AND b.tahun = $tahun AND b.lolos;
