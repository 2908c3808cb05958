-- Purpose: the Ringkasan page's progress table: pemda $kode_pemda's headline figures in each quarter of
-- tahun $tahun and in triwulan $triwulan of the earlier years, each computed as T0 computes its quarter
-- (from mart.rekap_opd), so that the row of a quarter equals that quarter's report.
-- Grain: one row per quarter, oldest first; the quarter asked for is tingkat 2 (shown bold).
SELECT 'TW ' || ['I', 'II', 'III', 'IV'][triwulan] || ' ' || tahun AS periode,
       sum(pagu) AS pagu,
       sum(realisasi_triwulan) AS realisasi_triwulan,
       sum(realisasi_kumulatif) AS realisasi_kumulatif,
       core.persen(sum(realisasi_kumulatif), sum(pagu)) AS persen_serapan,
       coalesce(sum(sasaran_kk), 0) AS sasaran_kk,
       count(*) FILTER (WHERE status = 'diterima') AS opd_diterima,
       CASE WHEN bool_or(terdaftar) THEN count(*) FILTER (WHERE terdaftar) ELSE count(*) END AS opd_diharapkan,
       CASE WHEN tahun = $tahun AND triwulan = $triwulan THEN 2 ELSE 0 END AS tingkat
FROM mart.rekap_opd
WHERE kode_pemda = $kode_pemda
  AND (tahun = $tahun OR (triwulan = $triwulan AND tahun < $tahun))
GROUP BY tahun, triwulan
ORDER BY tahun, triwulan;
