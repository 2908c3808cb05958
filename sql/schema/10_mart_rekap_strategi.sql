-- Purpose: per Inpres 4/2022 strategy and quarter, the pemda's totals.
-- Sums of a pemda's rows are DECIMAL(38, 2): each amount fits DECIMAL(18, 2), their sum need not.
-- Grain: one row per pemda, tahun, triwulan, strategi (all three strategies, zero when unused).
CREATE TABLE IF NOT EXISTS mart.rekap_strategi (
    kode_pemda          VARCHAR NOT NULL,
    tahun               INTEGER NOT NULL,
    triwulan            INTEGER NOT NULL,
    strategi            VARCHAR NOT NULL,
    nama_strategi       VARCHAR NOT NULL,
    jumlah_opd          INTEGER NOT NULL,
    jumlah_sub_kegiatan INTEGER NOT NULL,
    pagu                DECIMAL(38, 2) NOT NULL,
    realisasi_triwulan  DECIMAL(38, 2) NOT NULL,
    realisasi_kumulatif DECIMAL(38, 2) NOT NULL,
    persen_serapan      DECIMAL(7, 2),
    sasaran_kk          BIGINT NOT NULL
);
