-- Purpose: record the rows of this run's files that are not data (registered as baris_dilewati_baru).
-- Grain: one row per skipped row.
INSERT INTO core.baris_dilewati (file_hash, sheet, baris, jenis, teks)
SELECT file_hash, sheet, baris, jenis, teks
FROM baris_dilewati_baru
ORDER BY file_hash, baris;
