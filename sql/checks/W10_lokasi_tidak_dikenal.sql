-- Purpose: rule W10, lokasi codes inside the pemda that the region reference (ref.wilayah) does not know:
-- a typo, or a desa the decree does not list. A warning: the row still counts, under its code. Malformed
-- cells and codes outside the pemda are R12's; nothing is reported while no reference is loaded.
-- Grain: one row per staged data row of quarter $triwulan naming an unknown code (row_id, nilai).
SELECT b.row_id, string_agg(k.kode, ';' ORDER BY k.kode) AS nilai
FROM staging.baris AS b
JOIN staging.berkas AS f USING (file_hash)
CROSS JOIN LATERAL (SELECT unnest(string_split(b.lokasi, ';')) AS kode) AS k
WHERE f.triwulan = $triwulan
  AND core.lokasi_sah(b.lokasi)
  AND starts_with(k.kode, f.kode_pemda || '.')
  AND EXISTS (SELECT 1 FROM ref.wilayah)
  AND NOT EXISTS (SELECT 1 FROM ref.wilayah AS w WHERE w.kode = k.kode)
GROUP BY b.row_id
ORDER BY b.row_id;
