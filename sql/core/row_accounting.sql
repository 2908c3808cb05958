-- Purpose: the files of a run whose rows do not add up: rows read must equal the rows kept in
-- core.realisasi plus those in core.baris_ditolak, and rows_accepted + rows_rejected.
-- Grain: one row per file that violates the accounting (empty when all is well).
SELECT s.file_hash, s.rows_read, s.rows_accepted + s.rows_rejected AS dicatat,
       (SELECT count(*) FROM core.realisasi AS r WHERE r.file_hash = s.file_hash)
       + (SELECT count(*) FROM core.baris_ditolak AS d WHERE d.file_hash = s.file_hash) AS tersimpan
FROM core.submission AS s
WHERE s.run_id = $run_id
  AND (s.rows_read <> s.rows_accepted + s.rows_rejected
       OR s.rows_read <> (SELECT count(*) FROM core.realisasi AS r WHERE r.file_hash = s.file_hash)
                         + (SELECT count(*) FROM core.baris_ditolak AS d WHERE d.file_hash = s.file_hash))
ORDER BY s.file_hash;
