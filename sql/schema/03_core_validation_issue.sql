-- Purpose: every problem found in a submission, located as Excel shows it.
-- Grain: one row per finding (file, sheet, row, column, rule).
CREATE TABLE IF NOT EXISTS core.validation_issue (
    file_hash        VARCHAR NOT NULL,
    sheet            VARCHAR,
    baris            INTEGER,
    kolom            VARCHAR,
    nama_kolom       VARCHAR,
    nilai            VARCHAR,
    aturan           VARCHAR NOT NULL,
    tingkat          VARCHAR NOT NULL CHECK (tingkat IN ('error', 'warning')),
    pesan            VARCHAR NOT NULL,
    cara_memperbaiki VARCHAR NOT NULL
);
