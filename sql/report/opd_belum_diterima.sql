-- Purpose: the OPDs whose report for the quarter is not in: rejected, or not sent at all (an expected OPD
-- with no row yet counts as not sent), for the steward's log and the run's notification.
-- Grain: one row per OPD of pemda $kode_pemda, tahun $tahun, triwulan $triwulan that is not 'diterima'.
WITH triwulan_ini AS (
    SELECT kode_skpd, nama_skpd, status
    FROM mart.rekap_opd
    WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan
)

SELECT kode_skpd, nama_skpd, status
FROM triwulan_ini
WHERE status <> 'diterima'
UNION ALL
SELECT kode_skpd, nama_skpd, 'belum menyampaikan'
FROM mart.opd_terdaftar
WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND kode_skpd NOT IN (SELECT kode_skpd FROM triwulan_ini)
ORDER BY status, kode_skpd;
