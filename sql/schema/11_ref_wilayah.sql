-- Purpose: the Kemendagri region reference (ref/wilayah.csv by default, loaded by rekap.wilayah): the code and
-- name of every provinsi, kabupaten/kota, kecamatan and desa/kelurahan, and which file and decree they
-- come from. Empty until a run loads a reference; every name lookup then falls back to the code.
-- Grain: ref.wilayah one row per region code; ref.wilayah_sumber one row, the file loaded last.
CREATE SCHEMA IF NOT EXISTS ref;

CREATE TABLE IF NOT EXISTS ref.wilayah (
    kode         VARCHAR NOT NULL,
    nama         VARCHAR NOT NULL,
    tingkat      VARCHAR NOT NULL,
    nama_lengkap VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS ref.wilayah_sumber (
    berkas            VARCHAR,
    sha256            VARCHAR,
    keputusan         VARCHAR,
    tanggal_keputusan DATE,
    sumber            VARCHAR,
    lisensi           VARCHAR,
    jumlah_wilayah    INTEGER,
    dimuat_pada       TIMESTAMP
);

-- A pemda's name reduced to what identifies it, so that "Pemerintah Kab. Lebak" and "KABUPATEN LEBAK"
-- compare equal to the reference's "Kabupaten Lebak" (rule W11).
CREATE OR REPLACE MACRO ref.kunci_nama(nama) AS
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        trim(regexp_replace(lower(nama), '[^a-z0-9]+', ' ', 'g')),
        '^(pemerintah daerah|pemerintah|pemda) ', ''),
        '^(pemkab|kab) ', 'kabupaten '),
        '^pemkot ', 'kota '),
        '^(pemprov|prov|propinsi) ', 'provinsi '),
        '\bdki\b', 'daerah khusus ibukota'),
        '\bdiy\b', 'daerah istimewa yogyakarta');
