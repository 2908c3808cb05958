-- Purpose: what a household-count file loaded for tahun $tahun covers, for the steward's summary: per
-- kab/kota, its name, the desa counted and their KE households. Grain: one row per kab/kota in the file.
SELECT k.kode, coalesce(w.nama_lengkap, k.kode) AS nama, k.desa, k.kk
FROM (
    SELECT array_to_string(string_split(kode_desa, '.')[1:2], '.') AS kode, count(*) AS desa,
           sum(kk_miskin_ekstrem) AS kk
    FROM core.sasaran_desa
    WHERE tahun = $tahun AND file_hash = $file_hash
    GROUP BY ALL
) AS k
LEFT JOIN ref.wilayah AS w ON w.kode = k.kode
ORDER BY k.kode;
