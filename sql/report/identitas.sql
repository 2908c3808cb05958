-- Purpose: the name of the pemda for the report's headers: as the region reference (ref.wilayah) names its
-- code, else as its files give it (most frequent), else the code. Grain: one row.
SELECT coalesce(
    (SELECT nama_lengkap FROM ref.wilayah WHERE kode = $kode_pemda AND tingkat IN ('provinsi', 'kabupaten/kota')),
    mode(nama_pemda), $kode_pemda)
FROM core.submission
WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND lolos;
