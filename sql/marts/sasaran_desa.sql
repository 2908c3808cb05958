-- Purpose: mart.sasaran_desa, the KE households in need per desa as the steward last loaded them
-- (`rekap sasaran`, at any time between runs: a view, so that T5 and the dashboard show them at once). A
-- view of core.sasaran_desa. Grain: one row per tahun and desa.
CREATE OR REPLACE VIEW mart.sasaran_desa AS
SELECT tahun, kode_desa, kk_miskin_ekstrem, file_hash, nama_berkas, baris, dimuat_pada
FROM core.sasaran_desa;
