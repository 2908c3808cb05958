-- Purpose: the OPDs whose report for the quarter is not in: rejected, or not sent at all (an expected OPD
-- with no row yet counts as not sent), for the steward's log and the run's notification.
-- Grain: one row per pemda of $pemda and OPD of tahun $tahun, triwulan $triwulan that is not 'diterima'.
WITH triwulan_ini AS (
    SELECT kode_pemda, kode_skpd, nama_skpd, status
    FROM mart.rekap_opd
    WHERE kode_pemda IN (SELECT unnest($pemda::VARCHAR[])) AND tahun = $tahun AND triwulan = $triwulan
)

SELECT kode_pemda, kode_skpd, nama_skpd, status
FROM triwulan_ini
WHERE status <> 'diterima'
UNION ALL
SELECT d.kode_pemda, d.kode_skpd, d.nama_skpd, 'belum menyampaikan'
FROM mart.opd_terdaftar AS d
WHERE d.kode_pemda IN (SELECT unnest($pemda::VARCHAR[])) AND d.tahun = $tahun
  AND NOT EXISTS (SELECT 1 FROM triwulan_ini AS t WHERE t.kode_pemda = d.kode_pemda AND t.kode_skpd = d.kode_skpd)
ORDER BY kode_pemda, status, kode_skpd;
