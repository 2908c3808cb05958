-- Purpose: rule W10, lokasi codes inside the pemda that the region reference (ref.wilayah) does not know:
-- a typo, or a desa the decree does not list. A warning: the row still counts, under its code. Malformed
-- cells and codes outside the pemda are R12's; nothing is reported while no reference is loaded.
-- Grain: one row per staged data row of quarter $triwulan naming an unknown code (row_id, nilai).
SELECT row_id, string_agg(kode, ';' ORDER BY kode) AS nilai
FROM staging.lokasi_kode AS k
WHERE triwulan = $triwulan
  AND starts_with(kode, kode_pemda || '.')
  AND EXISTS (SELECT 1 FROM ref.wilayah)
  AND NOT EXISTS (SELECT 1 FROM ref.wilayah AS w WHERE w.kode = k.kode)
GROUP BY row_id
ORDER BY row_id;
