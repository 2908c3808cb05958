-- Purpose: rule R12, lokasi codes that do not belong to the pemda of the submission: a code outside its
-- prefix, and so also a kab/kota code in a kab/kota's file (only a province's own OPDs place programs by
-- kab/kota). Only well-formed lokasi cells are checked here: a malformed one is already reported by the
-- realisasi suite (same rule, same cell), and a cell gets one finding per rule.
-- Grain: one row per violating data row of the staged files of quarter $triwulan (row_id, nilai).
SELECT b.row_id, string_agg(k.kode, ';' ORDER BY k.kode) AS nilai
FROM staging.baris AS b
JOIN staging.berkas AS f USING (file_hash)
CROSS JOIN LATERAL (SELECT unnest(string_split(b.lokasi, ';')) AS kode) AS k
WHERE f.triwulan = $triwulan
  AND core.lokasi_sah(b.lokasi)
  AND k.kode <> 'SEMUA'
  AND NOT starts_with(k.kode, f.kode_pemda || '.')
GROUP BY b.row_id
ORDER BY b.row_id;
