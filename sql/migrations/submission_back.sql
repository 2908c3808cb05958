-- Purpose: copy the submissions moved aside by submission_aside.sql into core.submission as it is defined
-- now, and drop the old table. Grain: one row per submission.
INSERT INTO core.submission BY NAME
SELECT * FROM core.submission_lama;

DROP TABLE core.submission_lama;
