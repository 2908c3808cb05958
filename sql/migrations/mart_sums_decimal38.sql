-- Purpose: widen the sums of a warehouse made before they were DECIMAL(38, 2) (one amount fits
-- DECIMAL(18, 2); the total of a pemda need not). Grain: alters mart.rekap_opd and mart.rekap_strategi.
ALTER TABLE mart.rekap_opd ALTER COLUMN pagu SET DATA TYPE DECIMAL(38, 2);
ALTER TABLE mart.rekap_opd ALTER COLUMN realisasi_triwulan SET DATA TYPE DECIMAL(38, 2);
ALTER TABLE mart.rekap_opd ALTER COLUMN realisasi_kumulatif SET DATA TYPE DECIMAL(38, 2);
ALTER TABLE mart.rekap_opd ALTER COLUMN tw1 SET DATA TYPE DECIMAL(38, 2);
ALTER TABLE mart.rekap_opd ALTER COLUMN tw2 SET DATA TYPE DECIMAL(38, 2);
ALTER TABLE mart.rekap_opd ALTER COLUMN tw3 SET DATA TYPE DECIMAL(38, 2);
ALTER TABLE mart.rekap_opd ALTER COLUMN tw4 SET DATA TYPE DECIMAL(38, 2);
ALTER TABLE mart.rekap_strategi ALTER COLUMN pagu SET DATA TYPE DECIMAL(38, 2);
ALTER TABLE mart.rekap_strategi ALTER COLUMN realisasi_triwulan SET DATA TYPE DECIMAL(38, 2);
ALTER TABLE mart.rekap_strategi ALTER COLUMN realisasi_kumulatif SET DATA TYPE DECIMAL(38, 2);
