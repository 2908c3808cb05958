-- Purpose: the SHA-256 of the region reference file loaded last, to know whether a file is new.
-- Grain: one row, or none before the first load.
SELECT sha256
FROM ref.wilayah_sumber;
