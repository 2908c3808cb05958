-- Purpose: rule X01, a reported cumulative realization below the one used for the previous quarter of
-- the same OPD, sub kegiatan and sumber dana. Grain: one row per violating staged data row (row_id,
-- nilai, sebelumnya) of quarter $triwulan.
SELECT b.row_id, b.realisasi_kumulatif_sen AS nilai_sen, p.realisasi_kumulatif AS sebelumnya
FROM staging.baris AS b
JOIN staging.berkas AS f USING (file_hash)
JOIN mart.realisasi_rinci AS p
  ON p.kode_pemda = f.kode_pemda AND p.tahun = f.tahun AND p.triwulan = f.triwulan - 1
 AND p.kode_skpd = f.kode_skpd AND p.kode_sub_kegiatan = b.kode_sub_kegiatan AND p.sumber_dana = b.sumber_dana
WHERE f.triwulan = $triwulan
  AND b.realisasi_kumulatif_ada
  AND b.realisasi_kumulatif_sen::DECIMAL(18, 0) * 0.01 < p.realisasi_kumulatif
ORDER BY b.row_id;
