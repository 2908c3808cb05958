-- Purpose: replace the expected-OPD list of every (pemda, tahun) present in the registered frame
-- daftar_baru. Grain: one row per pemda, tahun, OPD.
DELETE FROM core.opd_terdaftar
WHERE (kode_pemda, tahun) IN (SELECT DISTINCT kode_pemda, tahun FROM daftar_baru);

INSERT INTO core.opd_terdaftar
SELECT DISTINCT ON (kode_pemda, tahun, kode_skpd) kode_pemda, tahun, kode_skpd, nama_skpd
FROM daftar_baru
ORDER BY kode_pemda, tahun, kode_skpd;
