-- Purpose: every problem found in each submission of $hashes, in the order the OPD should work through
-- them: errors before warnings, the file as a whole first, then sheet by sheet, row by row, column by
-- column. Grain: one row per file and finding.
SELECT file_hash, tingkat, sheet, baris, kolom, nama_kolom, nilai, aturan, pesan, cara_memperbaiki
FROM mart.temuan
WHERE file_hash IN (SELECT unnest($hashes::VARCHAR[]))
ORDER BY file_hash, tingkat = 'warning', sheet NULLS FIRST, baris NULLS FIRST, length(kolom) NULLS FIRST, kolom,
         aturan;
