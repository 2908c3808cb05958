-- Purpose: which of $hashes the warehouse has recorded (for good or not). Grain: one row per file.
SELECT file_hash
FROM core.submission
WHERE file_hash IN (SELECT unnest($hashes));
