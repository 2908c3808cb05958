-- Purpose: the codes of every well-formed Lokasi cell of the staged rows (not SEMUA), for the rules that check
-- them: R12 (inside the pemda) and W10 (in the region reference). Internal, like all of staging.
-- Grain: one row per staged data row and code.
CREATE OR REPLACE VIEW staging.lokasi_kode AS
SELECT row_id, triwulan, kode_pemda, kode
FROM (
    SELECT b.row_id, f.triwulan, f.kode_pemda, unnest(string_split(b.lokasi, ';')) AS kode
    FROM staging.baris AS b
    JOIN staging.berkas AS f USING (file_hash)
    WHERE core.lokasi_sah(b.lokasi)
) AS baris_kode
WHERE kode <> 'SEMUA';
