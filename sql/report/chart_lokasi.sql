-- Purpose: chart data, cumulative realization in the ten wilayah (kecamatan of a kab/kota, kab/kota of a
-- province) that received most, counting only rows whose lokasi lies in one wilayah (as T5 does), each named
-- as T5 names it. Grain: one row per wilayah, at most ten.
SELECT coalesce(w.nama_lengkap,
                CASE WHEN len(string_split($kode_pemda, '.')) = 1 THEN 'Kabupaten/Kota ' ELSE 'Kecamatan ' END
                || u.unit) AS wilayah,
       u.realisasi_kumulatif
FROM (
    SELECT w.unit, sum(realisasi_kumulatif) AS realisasi_kumulatif
    FROM (
        SELECT realisasi_kumulatif, core.wilayah(lokasi, len(string_split($kode_pemda, '.')) + 1) AS w
        FROM mart.realisasi_rinci
        WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan
    ) AS baris
    WHERE w.jenis = 'wilayah'
    GROUP BY w.unit
) AS u
LEFT JOIN ref.wilayah AS w ON w.kode = u.unit
ORDER BY u.realisasi_kumulatif DESC, u.unit
LIMIT 10;
