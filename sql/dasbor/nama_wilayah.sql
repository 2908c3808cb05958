-- Purpose: the names of the region codes in the list $kode (the lokasi of the rows a page shows).
-- Grain: one row per code the region reference knows.
SELECT kode, nama_lengkap
FROM ref.wilayah
WHERE kode IN (SELECT unnest($kode));
