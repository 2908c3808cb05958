-- Purpose: the submissions whose hash starts with $awalan, for reading a recorded file again on purpose
-- (`rekap run --baca-ulang`). Grain: one row per file.
SELECT file_hash, source_path, received_at
FROM core.submission
WHERE starts_with(file_hash, $awalan)
ORDER BY file_hash;
