-- Purpose: keep the rows of the staged files of one quarter that were rejected, as read.
-- Grain: one row per data row of a rejected submission.
INSERT INTO core.baris_ditolak (
    file_hash, sheet, baris, kode_sub_kegiatan, nama_sub_kegiatan, strategi, sumber_dana, pagu,
    realisasi_triwulan, realisasi_kumulatif
)
SELECT b.file_hash, b.sheet, b.baris, b.kode_sub_kegiatan, b.nama_sub_kegiatan, b.strategi, b.sumber_dana,
       b.pagu, b.realisasi_triwulan, b.realisasi_kumulatif
FROM staging.baris AS b
JOIN staging.berkas AS f USING (file_hash)
JOIN core.submission AS s USING (file_hash)
WHERE f.triwulan IS NOT DISTINCT FROM $triwulan AND NOT s.lolos
ORDER BY b.file_hash, b.baris;
