-- Purpose: the files the warehouse has recorded for good (among $hashes, or all when $hashes is NULL),
-- which no run needs to read again: every submission except those rejected only by rules that depend on
-- the run's own settings ($aturan_pengaturan: the pemda asked for, limits an operator can raise), which
-- the next run reads again. Grain: one row per file.
SELECT s.file_hash
FROM core.submission AS s
WHERE ($hashes IS NULL OR s.file_hash IN (SELECT unnest($hashes)))
  AND (s.lolos
       OR EXISTS (
           SELECT 1
           FROM core.validation_issue AS v
           WHERE v.file_hash = s.file_hash AND v.tingkat = 'error'
             AND NOT list_contains($aturan_pengaturan, v.aturan)
       ));
