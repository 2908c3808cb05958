-- Purpose: per submission key touched by this run, mark the latest accepted revision 'diterima' and the
-- earlier accepted ones 'digantikan'; rejected files stay 'ditolak' and never displace an accepted one.
-- Revision order: Revisi (absent = 0), then arrival order. Grain: updates core.submission rows.
UPDATE core.submission AS s
SET status = CASE WHEN NOT s.lolos THEN 'ditolak' WHEN s.file_hash = u.dipakai THEN 'diterima'
                  ELSE 'digantikan' END
FROM (
    SELECT kode_pemda, tahun, triwulan, kode_skpd,
           arg_max(file_hash, (coalesce(revisi, 0), received_at, file_hash)) FILTER (WHERE lolos) AS dipakai
    FROM core.submission
    WHERE EXISTS (
        SELECT 1 FROM staging.berkas AS f
        WHERE f.kode_pemda = submission.kode_pemda AND f.tahun = submission.tahun
          AND f.triwulan = submission.triwulan AND f.kode_skpd = submission.kode_skpd
    )
    GROUP BY ALL
) AS u
WHERE s.kode_pemda = u.kode_pemda AND s.tahun = u.tahun AND s.triwulan = u.triwulan
  AND s.kode_skpd = u.kode_skpd;
