-- Purpose: what is wrong with the region reference read into wilayah_baru: a code whose form does not fit
-- its level, an unknown level, an empty name, a code listed twice, or no province at all. Any row here
-- keeps the reference the warehouse has. Grain: one row per problem (at most ten).
SELECT masalah
FROM (
    SELECT 'kode ' || coalesce(kode, '(kosong)') || ' tidak sesuai tingkat ' || coalesce(tingkat, '(kosong)')
               AS masalah, 1 AS urut
    FROM wilayah_baru
    WHERE NOT coalesce(
        CASE tingkat
            WHEN 'provinsi' THEN regexp_full_match(kode, '\d{2}')
            WHEN 'kabupaten/kota' THEN regexp_full_match(kode, '\d{2}\.\d{2}')
            WHEN 'kecamatan' THEN regexp_full_match(kode, '\d{2}\.\d{2}\.\d{2}')
            WHEN 'desa/kelurahan' THEN regexp_full_match(kode, '\d{2}\.\d{2}\.\d{2}\.\d{4}')
        END, FALSE)
    UNION ALL
    SELECT 'kode ' || kode || ' tanpa nama', 2 FROM wilayah_baru WHERE coalesce(nama, '') = ''
    UNION ALL
    SELECT 'kode ' || kode || ' tercatat ' || count(*) || ' kali', 3 FROM wilayah_baru GROUP BY kode HAVING count(*) > 1
    UNION ALL
    SELECT 'tidak ada satu pun provinsi', 4 WHERE NOT EXISTS (SELECT 1 FROM wilayah_baru WHERE tingkat = 'provinsi')
) AS daftar
ORDER BY urut, masalah
LIMIT 10;
