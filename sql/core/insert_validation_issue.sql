-- Purpose: keep the findings of the staged files of one quarter. Grain: one row per finding.
INSERT INTO core.validation_issue (
    file_hash, sheet, baris, kolom, nama_kolom, nilai, aturan, tingkat, pesan, cara_memperbaiki
)
SELECT t.file_hash, t.sheet, t.baris, t.kolom, t.nama_kolom, t.nilai, t.aturan, t.tingkat, t.pesan,
       t.cara_memperbaiki
FROM staging.temuan AS t
JOIN staging.berkas AS f USING (file_hash)
WHERE f.triwulan IS NOT DISTINCT FROM $triwulan
ORDER BY t.file_hash, t.baris NULLS FIRST, t.kolom NULLS FIRST, t.aturan;
