-- Purpose: the rejected files that name no OPD (unreadable, or no Kode SKPD), taken in by the runs of
-- tahun $tahun, triwulan $triwulan for pemda $kode_pemda (or for every pemda): the steward finds the
-- sender from the file name. Grain: one row per file.
SELECT s.file_hash, s.nama_berkas, s.source_path, s.received_at, s.jumlah_error
FROM mart.berkas AS s
WHERE s.status = 'ditolak'
  AND s.kode_skpd IS NULL
  AND s.run_id IN (
      SELECT run_id
      FROM mart.run
      WHERE tahun = $tahun AND triwulan = $triwulan AND (kode_pemda = $kode_pemda OR kode_pemda IS NULL)
  )
ORDER BY s.received_at, s.nama_berkas;
