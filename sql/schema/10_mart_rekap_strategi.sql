-- Purpose: per Inpres 4/2022 strategy and quarter, the pemda's totals.
-- Grain: one row per pemda, tahun, triwulan, strategi (all three strategies, zero when unused).
CREATE TABLE IF NOT EXISTS mart.rekap_strategi (
    kode_pemda          VARCHAR NOT NULL,
    tahun               INTEGER NOT NULL,
    triwulan            INTEGER NOT NULL,
    strategi            VARCHAR NOT NULL,
    nama_strategi       VARCHAR NOT NULL,
    jumlah_opd          INTEGER NOT NULL,
    jumlah_sub_kegiatan INTEGER NOT NULL,
    pagu                DECIMAL(18, 2) NOT NULL,
    realisasi_triwulan  DECIMAL(18, 2) NOT NULL,
    realisasi_kumulatif DECIMAL(18, 2) NOT NULL,
    persen_serapan      DECIMAL(7, 2),
    sasaran_kk          BIGINT NOT NULL
);
