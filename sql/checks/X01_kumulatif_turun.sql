-- Purpose: rule X01, a reported cumulative realization below the one used for the previous quarter of
-- the same OPD, sub kegiatan and sumber dana. Grain: one row per violating staged data row (row_id,
-- nilai, sebelumnya) of quarter $triwulan.
-- The quarter's staged rows take their file's identity first, materialized, so that the mart is joined on
-- all six keys at once. Left to itself, DuckDB joined the mart to staging.baris on sub kegiatan and
-- sumber dana alone (codes that every pemda shares) when TW I and TW II came in one run: a national
-- catch-up run spent 54 s and 21 GB in X02, which has the same join.
WITH baris AS MATERIALIZED (
    SELECT b.row_id, b.realisasi_kumulatif_sen, b.kode_sub_kegiatan, b.sumber_dana,
           f.kode_pemda, f.tahun, f.triwulan, f.kode_skpd
    FROM staging.baris AS b
    JOIN staging.berkas AS f USING (file_hash)
    WHERE f.triwulan = $triwulan AND b.realisasi_kumulatif_ada
)

SELECT b.row_id, b.realisasi_kumulatif_sen AS nilai_sen, p.realisasi_kumulatif AS sebelumnya
FROM baris AS b
JOIN mart.realisasi_rinci AS p
  ON p.kode_pemda = b.kode_pemda AND p.tahun = b.tahun AND p.triwulan = b.triwulan - 1
 AND p.kode_skpd = b.kode_skpd AND p.kode_sub_kegiatan = b.kode_sub_kegiatan AND p.sumber_dana = b.sumber_dana
WHERE b.realisasi_kumulatif_sen::DECIMAL(18, 0) * 0.01 < p.realisasi_kumulatif
ORDER BY b.row_id;
