-- Purpose: rule R12, lokasi codes that do not belong to the pemda of the submission: a code outside its
-- prefix, and so also a kab/kota code in a kab/kota's file (only a province's own OPDs place programs by
-- kab/kota). Only well-formed lokasi cells are checked here (staging.lokasi_kode): a malformed one is
-- already reported by the realisasi suite (same rule, same cell), and a cell gets one finding per rule.
-- Grain: one row per violating data row of the staged files of quarter $triwulan (row_id, nilai).
SELECT row_id, string_agg(kode, ';' ORDER BY kode) AS nilai
FROM staging.lokasi_kode
WHERE triwulan = $triwulan
  AND NOT starts_with(kode, kode_pemda || '.')
GROUP BY row_id
ORDER BY row_id;
