-- Purpose: chart data, cumulative realization in the ten wilayah (kecamatan of a kab/kota, kab/kota of a
-- province) that received most, counting only rows whose lokasi lies in one wilayah (as T5 does).
-- Grain: one row per wilayah, at most ten.
SELECT CASE WHEN len(string_split($kode_pemda, '.')) = 1 THEN 'Kabupaten/Kota ' ELSE 'Kecamatan ' END
           || w.unit AS wilayah,
       sum(realisasi_kumulatif) AS realisasi_kumulatif
FROM (
    SELECT realisasi_kumulatif, core.wilayah(lokasi, len(string_split($kode_pemda, '.')) + 1) AS w
    FROM mart.realisasi_rinci
    WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan
)
WHERE w.jenis = 'wilayah'
GROUP BY w.unit
ORDER BY realisasi_kumulatif DESC, w.unit
LIMIT 10;
