-- Purpose: rule R22's other half for a household-count file (registered as sasaran_baru): well-formed desa
-- codes the region reference (ref.wilayah) does not list as a desa/kelurahan. Nothing while no reference is
-- loaded. Grain: one row per such row of the file (row_id, kode_desa).
SELECT s.row_id, s.kode_desa
FROM sasaran_baru AS s
WHERE regexp_full_match(s.kode_desa, '\d{2}\.\d{2}\.\d{2}\.\d{4}')
  AND EXISTS (SELECT 1 FROM ref.wilayah)
  AND NOT EXISTS (SELECT 1 FROM ref.wilayah AS w WHERE w.kode = s.kode_desa AND w.tingkat = 'desa/kelurahan')
ORDER BY s.row_id;
