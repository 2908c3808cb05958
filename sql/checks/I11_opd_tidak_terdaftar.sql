-- Purpose: rule I11, a submission from an OPD that is not on the configured list of its pemda and year.
-- Grain: one row per violating staged file of quarter $triwulan (file_hash, nilai).
SELECT f.file_hash, f.kode_skpd AS nilai
FROM staging.berkas AS f
WHERE f.triwulan = $triwulan
  AND EXISTS (SELECT 1 FROM core.opd_terdaftar AS d WHERE d.kode_pemda = f.kode_pemda AND d.tahun = f.tahun)
  AND NOT EXISTS (
      SELECT 1 FROM core.opd_terdaftar AS d
      WHERE d.kode_pemda = f.kode_pemda AND d.tahun = f.tahun AND d.kode_skpd = f.kode_skpd
  )
ORDER BY f.file_hash;
