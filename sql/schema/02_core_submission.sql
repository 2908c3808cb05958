-- Purpose: every file ever seen, with its identity and outcome.
-- Grain: one row per distinct file content (file_hash); the same bytes seen twice are one submission.
CREATE TABLE IF NOT EXISTS core.submission (
    file_hash        VARCHAR PRIMARY KEY,
    source_path      VARCHAR NOT NULL,
    nama_berkas      VARCHAR NOT NULL,
    format           VARCHAR,
    ukuran_byte      BIGINT,
    kode_pemda       VARCHAR,
    nama_pemda       VARCHAR,
    tahun            INTEGER,
    triwulan         INTEGER,
    kode_skpd        VARCHAR,
    nama_skpd        VARCHAR,
    revisi           INTEGER,
    tanggal_laporan  DATE,
    penanggung_jawab VARCHAR,
    received_at      TIMESTAMP NOT NULL,
    run_id           VARCHAR NOT NULL,
    rows_read        INTEGER NOT NULL,
    rows_accepted    INTEGER NOT NULL,
    rows_rejected    INTEGER NOT NULL,
    jumlah_error     INTEGER NOT NULL,
    jumlah_peringatan INTEGER NOT NULL,
    lolos            BOOLEAN NOT NULL,
    status           VARCHAR NOT NULL CHECK (status IN ('diterima', 'ditolak', 'digantikan'))
);
