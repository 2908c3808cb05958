-- Purpose: every problem found in one submission ($file_hash), in the order the OPD should work through
-- them: errors before warnings, the file as a whole first, then sheet by sheet, row by row, column by
-- column. Grain: one row per finding.
SELECT tingkat, sheet, baris, kolom, nama_kolom, nilai, aturan, pesan, cara_memperbaiki
FROM mart.temuan
WHERE file_hash = $file_hash
ORDER BY tingkat = 'warning', sheet NULLS FIRST, baris NULLS FIRST, length(kolom) NULLS FIRST, kolom,
         aturan;
