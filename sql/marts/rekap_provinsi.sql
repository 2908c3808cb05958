-- Purpose: a province's figures: its own OPDs (kode_pemda NN) beside each of its kab/kota (NN.NN, by code
-- prefix). Summing the rows of one province, year and quarter gives the province's figure for Kemenko PMK.
-- Grain: one row per province, tahun, triwulan, pemda (the province itself or one kab/kota).
CREATE OR REPLACE VIEW mart.rekap_provinsi AS
SELECT split_part(kode_pemda, '.', 1) AS kode_provinsi, tahun, triwulan, kode_pemda,
       CASE WHEN contains(kode_pemda, '.') THEN 'kabupaten/kota' ELSE 'provinsi' END AS tingkat,
       count(*) AS jumlah_opd,
       count(*) FILTER (WHERE status = 'diterima') AS opd_diterima,
       count(*) FILTER (WHERE status = 'belum menyampaikan') AS opd_belum,
       sum(pagu) AS pagu,
       sum(realisasi_triwulan) AS realisasi_triwulan,
       sum(realisasi_kumulatif) AS realisasi_kumulatif,
       core.persen(sum(realisasi_kumulatif), sum(pagu)) AS persen_serapan
FROM mart.rekap_opd
GROUP BY ALL;
