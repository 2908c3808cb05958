-- Purpose: the OPDs expected to report, per pemda and year (from daftar_opd.csv).
-- Grain: one row per pemda, tahun, OPD.
CREATE TABLE IF NOT EXISTS core.opd_terdaftar (
    kode_pemda VARCHAR NOT NULL,
    tahun      INTEGER NOT NULL,
    kode_skpd  VARCHAR NOT NULL,
    nama_skpd  VARCHAR NOT NULL,
    PRIMARY KEY (kode_pemda, tahun, kode_skpd)
);
