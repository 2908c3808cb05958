-- Purpose: one run's intake (internal; readers must not rely on it), emptied at the start of each run.
-- Grain: staging.berkas one row per new file; staging.baris one row per data row read (canonical text
-- and exact sen); staging.temuan one row per finding.
CREATE TABLE IF NOT EXISTS staging.berkas (
    file_hash VARCHAR, source_path VARCHAR, nama_berkas VARCHAR, format VARCHAR, ukuran_byte BIGINT,
    kode_pemda VARCHAR, nama_pemda VARCHAR, tahun INTEGER, triwulan INTEGER, kode_skpd VARCHAR,
    nama_skpd VARCHAR, revisi INTEGER, tanggal_laporan DATE, penanggung_jawab VARCHAR,
    received_at TIMESTAMP, rows_read INTEGER
);

CREATE TABLE IF NOT EXISTS staging.baris (
    row_id BIGINT, file_hash VARCHAR, sheet VARCHAR, baris INTEGER, kode_sub_kegiatan VARCHAR,
    nama_sub_kegiatan VARCHAR, strategi VARCHAR, sumber_dana VARCHAR,
    pagu VARCHAR, pagu_sen BIGINT, pagu_murni VARCHAR, pagu_murni_sen BIGINT,
    realisasi_triwulan VARCHAR, realisasi_triwulan_sen BIGINT,
    realisasi_kumulatif VARCHAR, realisasi_kumulatif_sen BIGINT,
    target_volume VARCHAR, realisasi_volume VARCHAR, sasaran_kk VARCHAR, lokasi VARCHAR,
    indikator VARCHAR, satuan VARCHAR, keterangan VARCHAR,
    realisasi_triwulan_ada BOOLEAN, realisasi_kumulatif_ada BOOLEAN
);

CREATE TABLE IF NOT EXISTS staging.temuan (
    file_hash VARCHAR, sheet VARCHAR, baris INTEGER, kolom VARCHAR, nama_kolom VARCHAR, nilai VARCHAR,
    aturan VARCHAR, tingkat VARCHAR, pesan VARCHAR, cara_memperbaiki VARCHAR
);

-- staging.rekap_ulang: one row per (pemda, tahun) whose marts are rebuilt next (sql/staging/rekap_ulang.sql).
CREATE TABLE IF NOT EXISTS staging.rekap_ulang (kode_pemda VARCHAR, tahun INTEGER);
