-- Purpose: the OPDs of each pemda of $pemda that have not sent a report for tahun $tahun, triwulan
-- $triwulan: 'belum menyampaikan' in mart.rekap_opd, and expected OPDs with no row there for the
-- quarter yet (no file of the pemda has reached it). Grain: one row per pemda and OPD.
SELECT kode_pemda, kode_skpd, nama_skpd
FROM mart.rekap_opd
WHERE kode_pemda IN (SELECT unnest($pemda::VARCHAR[])) AND tahun = $tahun AND triwulan = $triwulan
  AND status = 'belum menyampaikan'
UNION
SELECT d.kode_pemda, d.kode_skpd, d.nama_skpd
FROM mart.opd_terdaftar AS d
WHERE d.kode_pemda IN (SELECT unnest($pemda::VARCHAR[])) AND d.tahun = $tahun
  AND NOT EXISTS (
      SELECT 1
      FROM mart.rekap_opd AS r
      WHERE r.kode_pemda = d.kode_pemda AND r.tahun = d.tahun AND r.triwulan = $triwulan
        AND r.kode_skpd = d.kode_skpd
  )
ORDER BY kode_pemda, kode_skpd;
