-- Purpose: the rows of rejected submissions, kept as read, so that every row read is accounted for.
-- Grain: one row per data row of a rejected submission.
CREATE TABLE IF NOT EXISTS core.baris_ditolak (
    file_hash          VARCHAR NOT NULL,
    sheet              VARCHAR,
    baris              INTEGER NOT NULL,
    kode_sub_kegiatan  VARCHAR,
    nama_sub_kegiatan  VARCHAR,
    strategi           VARCHAR,
    sumber_dana        VARCHAR,
    pagu               VARCHAR,
    realisasi_triwulan VARCHAR,
    realisasi_kumulatif VARCHAR
);
