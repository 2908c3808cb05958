-- Purpose: rule X02, both realisasi columns reported but kumulatif <> previous kumulatif + triwulan.
-- Grain: one row per violating staged data row (row_id, figures) of quarter $triwulan.
-- The staged rows take their file's identity first, materialized, so that the mart is joined on all six
-- keys at once (see X01_kumulatif_turun.sql: 54 s and 21 GB otherwise).
WITH baris AS MATERIALIZED (
    SELECT b.row_id, b.realisasi_kumulatif_sen, b.realisasi_triwulan_sen, b.kode_sub_kegiatan, b.sumber_dana,
           f.kode_pemda, f.tahun, f.triwulan, f.kode_skpd
    FROM staging.baris AS b
    JOIN staging.berkas AS f USING (file_hash)
    WHERE f.triwulan = $triwulan AND b.realisasi_kumulatif_ada AND b.realisasi_triwulan_ada
)

SELECT b.row_id,
       b.realisasi_kumulatif_sen AS nilai_sen,
       p.realisasi_kumulatif AS sebelumnya,
       b.realisasi_triwulan_sen AS triwulan_ini_sen
FROM baris AS b
JOIN mart.realisasi_rinci AS p
  ON p.kode_pemda = b.kode_pemda AND p.tahun = b.tahun AND p.triwulan = b.triwulan - 1
 AND p.kode_skpd = b.kode_skpd AND p.kode_sub_kegiatan = b.kode_sub_kegiatan AND p.sumber_dana = b.sumber_dana
WHERE b.realisasi_kumulatif_sen::DECIMAL(18, 0) * 0.01 >= p.realisasi_kumulatif
  AND b.realisasi_kumulatif_sen <> round(p.realisasi_kumulatif * 100)::BIGINT + b.realisasi_triwulan_sen
ORDER BY b.row_id;
