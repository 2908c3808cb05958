-- Purpose: chart data, cumulative realization in the ten wilayah (kecamatan of a kab/kota, kab/kota of a
-- province) that received most, counting only rows whose lokasi lies in one wilayah (as T5 does), each named
-- as T5 names it. Grain: one row per pemda of $pemda and wilayah, at most ten per pemda.
WITH baris AS (
    SELECT kode_pemda, realisasi_kumulatif,
           core.wilayah(lokasi, len(string_split(kode_pemda, '.')) + 1) AS w
    FROM mart.realisasi_rinci
    WHERE kode_pemda IN (SELECT unnest($pemda::VARCHAR[])) AND tahun = $tahun AND triwulan = $triwulan
),

unit AS (
    SELECT kode_pemda, w.unit, sum(realisasi_kumulatif) AS realisasi_kumulatif
    FROM baris
    WHERE w.jenis = 'wilayah'
    GROUP BY kode_pemda, w.unit
)

SELECT u.kode_pemda,
       coalesce(w.nama_lengkap,
                CASE WHEN len(string_split(u.kode_pemda, '.')) = 1 THEN 'Kabupaten/Kota ' ELSE 'Kecamatan ' END
                || u.unit) AS wilayah,
       u.realisasi_kumulatif
FROM unit AS u
LEFT JOIN ref.wilayah AS w ON w.kode = u.unit
QUALIFY row_number() OVER (PARTITION BY u.kode_pemda ORDER BY u.realisasi_kumulatif DESC, u.unit) <= 10
ORDER BY u.kode_pemda, u.realisasi_kumulatif DESC, u.unit;
