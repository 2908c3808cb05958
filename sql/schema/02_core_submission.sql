-- Purpose: every file ever seen, with its identity and outcome.
-- Grain: one row per distinct file content (file_hash); the same bytes seen twice are one submission.
-- file_hash is the key, kept unique by the load and checked at the end of each run
-- (sql/core/duplicate_submissions.sql), without an index: DuckDB writes a table's whole index again at
-- every checkpoint, 0.04 s for 20,000 hashes, a fifth of a one-file rerun's load (warehouses made with
-- the index lose it in rekap/warehouse.py create_schema).
CREATE TABLE IF NOT EXISTS core.submission (
    file_hash        VARCHAR NOT NULL,
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
