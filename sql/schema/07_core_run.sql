-- Purpose: the log of runs with their row accounting (rows_read = rows_accepted + rows_rejected).
-- Grain: one row per run.
CREATE TABLE IF NOT EXISTS core.run (
    run_id        VARCHAR PRIMARY KEY,
    started_at    TIMESTAMP NOT NULL,
    tahun         INTEGER NOT NULL,
    triwulan      INTEGER NOT NULL,
    kode_pemda    VARCHAR,
    files_new     INTEGER NOT NULL,
    files_deferred INTEGER NOT NULL,
    rows_read     INTEGER NOT NULL,
    rows_accepted INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL
);
