-- Purpose: replace ref.wilayah with the checked reference in wilayah_baru, each region with the name readers
-- see (`Provinsi Banten`, `Kabupaten Lebak`, `Kecamatan Malingping`, `Desa ...` or `Kelurahan ...`: a
-- desa/kelurahan code's last segment starts with 2 for a desa, 1 for a kelurahan), and record the file.
-- Grain: ref.wilayah one row per code, ref.wilayah_sumber one row.
DELETE FROM ref.wilayah;

INSERT INTO ref.wilayah (kode, nama, tingkat, nama_lengkap)
SELECT kode, nama, tingkat,
       CASE tingkat
           WHEN 'provinsi' THEN 'Provinsi ' || nama
           WHEN 'kecamatan' THEN 'Kecamatan ' || nama
           WHEN 'desa/kelurahan' THEN CASE WHEN starts_with(split_part(kode, '.', 4), '1') THEN 'Kelurahan '
                                           ELSE 'Desa ' END || nama
           ELSE nama
       END
FROM wilayah_baru
ORDER BY kode;

DELETE FROM ref.wilayah_sumber;

INSERT INTO ref.wilayah_sumber (
    berkas, sha256, keputusan, tanggal_keputusan, sumber, lisensi, jumlah_wilayah, dimuat_pada
)
SELECT $berkas, $sha256, $keputusan, $tanggal_keputusan, $sumber, $lisensi, count(*), $dimuat_pada
FROM wilayah_baru;

DROP TABLE wilayah_baru;
