-- Purpose: per OPD and quarter, the figures and the state of its submission.
-- Sums of a pemda's rows are DECIMAL(38, 2): each amount fits DECIMAL(18, 2), their sum need not.
-- Grain: one row per pemda, tahun, triwulan, OPD (every expected OPD and every OPD that submitted).
CREATE TABLE IF NOT EXISTS mart.rekap_opd (
    kode_pemda          VARCHAR NOT NULL,
    tahun               INTEGER NOT NULL,
    triwulan            INTEGER NOT NULL,
    kode_skpd           VARCHAR NOT NULL,
    nama_skpd           VARCHAR NOT NULL,
    strategi            VARCHAR,
    pagu                DECIMAL(38, 2),
    realisasi_triwulan  DECIMAL(38, 2),
    realisasi_kumulatif DECIMAL(38, 2),
    tw1                 DECIMAL(38, 2),
    tw2                 DECIMAL(38, 2),
    tw3                 DECIMAL(38, 2),
    tw4                 DECIMAL(38, 2),
    persen_serapan      DECIMAL(7, 2),
    jumlah_sub_kegiatan INTEGER NOT NULL,
    sasaran_kk          BIGINT,
    status              VARCHAR NOT NULL CHECK (status IN ('diterima', 'ditolak', 'belum menyampaikan')),
    terdaftar           BOOLEAN NOT NULL,
    file_hash           VARCHAR,
    nama_berkas         VARCHAR,
    revisi              INTEGER,
    ada_revisi_ditolak  BOOLEAN NOT NULL
);
