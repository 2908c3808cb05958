-- Purpose: the accepted rows in canonical form, as the OPD reported them, with their lineage.
-- Grain: one row per data row of an accepted submission (sub kegiatan x sumber dana).
-- realisasi_triwulan / realisasi_kumulatif are NULL when the file did not have that column; the marts
-- derive the missing one from the previous quarter.
CREATE TABLE IF NOT EXISTS core.realisasi (
    file_hash          VARCHAR NOT NULL,
    kode_pemda         VARCHAR NOT NULL,
    tahun              INTEGER NOT NULL,
    triwulan           INTEGER NOT NULL,
    kode_skpd          VARCHAR NOT NULL,
    kode_sub_kegiatan  VARCHAR NOT NULL,
    nama_sub_kegiatan  VARCHAR NOT NULL,
    strategi           VARCHAR NOT NULL,
    sumber_dana        VARCHAR NOT NULL,
    pagu               DECIMAL(18, 2) NOT NULL,
    pagu_murni         DECIMAL(18, 2),
    realisasi_triwulan DECIMAL(18, 2),
    realisasi_kumulatif DECIMAL(18, 2),
    indikator          VARCHAR,
    satuan             VARCHAR,
    target_volume      DECIMAL(18, 4),
    realisasi_volume   DECIMAL(18, 4),
    sasaran_kk         BIGINT,
    lokasi             VARCHAR,
    keterangan         VARCHAR,
    source_path        VARCHAR NOT NULL,
    sheet              VARCHAR NOT NULL,
    baris              INTEGER NOT NULL
);
