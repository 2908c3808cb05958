-- Purpose: move an older warehouse's core.submission (made with a PRIMARY KEY) aside, for
-- sql/schema/02_core_submission.sql to create it again. Grain: renames one table.
ALTER TABLE core.submission RENAME TO submission_lama;
