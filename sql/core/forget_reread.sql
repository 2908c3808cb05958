-- Purpose: make room for the staged files the warehouse had recorded before (read again because their
-- rejection depended on the run's settings, or on purpose): each keeps its first arrival time, which
-- orders revisions, and what was recorded of it is removed, to be recorded again by this run.
-- Grain: updates staging.berkas; deletes the earlier rows of those files from core.
UPDATE staging.berkas AS f
SET received_at = s.received_at
FROM core.submission AS s
WHERE s.file_hash = f.file_hash;

DELETE FROM core.validation_issue WHERE file_hash IN (SELECT file_hash FROM staging.berkas);

DELETE FROM core.baris_ditolak WHERE file_hash IN (SELECT file_hash FROM staging.berkas);

DELETE FROM core.baris_dilewati WHERE file_hash IN (SELECT file_hash FROM staging.berkas);

DELETE FROM core.realisasi WHERE file_hash IN (SELECT file_hash FROM staging.berkas);

DELETE FROM core.submission WHERE file_hash IN (SELECT file_hash FROM staging.berkas);
