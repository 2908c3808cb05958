-- Purpose: a submitted file the warehouse knows, for the dashboard's download of an original (when
-- enabled): its name as sent. Grain: one row, or none for a hash the warehouse never saw.
SELECT nama_berkas
FROM mart.berkas
WHERE file_hash = $file_hash;
