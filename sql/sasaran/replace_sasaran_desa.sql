-- Purpose: load a checked household-count file (registered as sasaran_baru: row_id, kode_desa, jumlah_kk,
-- baris) for tahun $tahun: its counts replace those of the same year for every kab/kota it covers (a
-- reload is idempotent; another kab/kota's counts stay). Grain: core.sasaran_desa, one row per tahun, desa.
DELETE FROM core.sasaran_desa
WHERE tahun = $tahun
  AND array_to_string(string_split(kode_desa, '.')[1:2], '.') IN (
      SELECT DISTINCT array_to_string(string_split(kode_desa, '.')[1:2], '.') FROM sasaran_baru
  );

INSERT INTO core.sasaran_desa (tahun, kode_desa, kk_miskin_ekstrem, file_hash, nama_berkas, baris, dimuat_pada)
SELECT $tahun, kode_desa, jumlah_kk::INTEGER, $file_hash, $nama_berkas, baris, $dimuat_pada
FROM sasaran_baru
ORDER BY kode_desa;
