-- Purpose: mart.opd_terdaftar, the OPDs expected to report, per pemda and year, as the last run loaded
-- them (an expected OPD of a quarter no file has reached yet has no row in mart.rekap_opd). A view of
-- core.opd_terdaftar. Grain: one row per pemda, tahun, OPD.
CREATE OR REPLACE VIEW mart.opd_terdaftar AS
SELECT kode_pemda, tahun, kode_skpd, nama_skpd
FROM core.opd_terdaftar;
