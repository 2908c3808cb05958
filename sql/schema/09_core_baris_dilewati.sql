-- Purpose: the rows below a data table's header that are not data (the row of column numbers, a total or
-- subtotal row, a note, the signature block), each with its kind and text as read: with core.realisasi and
-- core.baris_ditolak it accounts for every non-empty row of a table. Grain: one row per such row per file.
CREATE TABLE IF NOT EXISTS core.baris_dilewati (
    file_hash VARCHAR NOT NULL,
    sheet     VARCHAR,
    baris     INTEGER NOT NULL,
    jenis     VARCHAR NOT NULL CHECK (jenis IN ('nomor_kolom', 'jumlah', 'catatan', 'tanda_tangan')),
    teks      VARCHAR NOT NULL
);
