-- Purpose: the files recorded more than once (the load keeps file_hash unique; core.submission has no
-- index to enforce it). Grain: one row per duplicated file_hash (empty when all is well).
SELECT file_hash, count(*) AS kali
FROM core.submission
GROUP BY file_hash
HAVING count(*) > 1
ORDER BY file_hash;
