-- Purpose: the rejected files that name no OPD (unreadable, or no Kode SKPD), taken in by the runs of
-- tahun $tahun, triwulan $triwulan for each pemda of $pemda (or for every pemda): the steward finds the
-- sender from the file name. Grain: one row per pemda and file.
WITH daftar AS (
    SELECT unnest($pemda::VARCHAR[]) AS kode_pemda
),

-- A run counts once for a pemda: it is the pemda's run or a run of every pemda.
run_pemda AS (
    SELECT d.kode_pemda, r.run_id
    FROM mart.run AS r
    JOIN daftar AS d ON r.kode_pemda = d.kode_pemda OR r.kode_pemda IS NULL
    WHERE r.tahun = $tahun AND r.triwulan = $triwulan
)

SELECT r.kode_pemda, s.file_hash, s.nama_berkas, s.source_path, s.received_at, s.jumlah_error
FROM mart.berkas AS s
JOIN run_pemda AS r ON r.run_id = s.run_id
WHERE s.status = 'ditolak'
  AND s.kode_skpd IS NULL
ORDER BY r.kode_pemda, s.received_at, s.nama_berkas;
