-- Purpose: the files a run found and did not load, with why: not a submission (an Office lock file, the
-- OPD list, a link out of the source folder, ...) or one for a later quarter or another year, set aside
-- for the run of that quarter. With core.submission it accounts for every file a run found.
-- Grain: one row per file per run.
CREATE TABLE IF NOT EXISTS core.berkas_dilewati (
    run_id      VARCHAR NOT NULL,
    source_path VARCHAR NOT NULL,
    nama_berkas VARCHAR NOT NULL,
    file_hash   VARCHAR,
    jenis       VARCHAR NOT NULL CHECK (jenis IN ('bukan laporan', 'ditunda')),
    alasan      VARCHAR NOT NULL
);
