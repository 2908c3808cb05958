-- Purpose: replace the expected-OPD list of every (pemda, tahun) present in the registered frame
-- daftar_baru. Grain: one row per pemda, tahun, OPD.
-- Only what changed is written: the registry of a whole country (10,000 OPDs) comes with every run, and
-- deleting and inserting it all again would rewrite its row groups each time for nothing.
CREATE OR REPLACE TEMP TABLE daftar_bersih AS
SELECT DISTINCT ON (kode_pemda, tahun, kode_skpd) kode_pemda, tahun, kode_skpd, nama_skpd
FROM daftar_baru
ORDER BY kode_pemda, tahun, kode_skpd;

DELETE FROM core.opd_terdaftar AS o
WHERE (o.kode_pemda, o.tahun) IN (SELECT DISTINCT kode_pemda, tahun FROM daftar_bersih)
  AND NOT EXISTS (
      SELECT 1 FROM daftar_bersih AS d
      WHERE d.kode_pemda = o.kode_pemda AND d.tahun = o.tahun AND d.kode_skpd = o.kode_skpd
        AND d.nama_skpd = o.nama_skpd
  );

INSERT INTO core.opd_terdaftar (kode_pemda, tahun, kode_skpd, nama_skpd)
SELECT kode_pemda, tahun, kode_skpd, nama_skpd FROM daftar_bersih
EXCEPT
SELECT kode_pemda, tahun, kode_skpd, nama_skpd FROM core.opd_terdaftar
ORDER BY kode_pemda, tahun, kode_skpd;

DROP TABLE daftar_bersih;
