-- Purpose: the KE households in need per desa, as the steward loads them with `rekap sasaran` (e.g.
-- aggregated from P3KE): counts only, never a person. A file replaces the counts of its year for every
-- kab/kota it covers. Grain: one row per tahun and desa.
CREATE TABLE IF NOT EXISTS core.sasaran_desa (
    tahun             INTEGER NOT NULL,
    kode_desa         VARCHAR NOT NULL,
    kk_miskin_ekstrem INTEGER NOT NULL,
    file_hash         VARCHAR NOT NULL,
    nama_berkas       VARCHAR,
    baris             INTEGER,
    dimuat_pada       TIMESTAMP
);
