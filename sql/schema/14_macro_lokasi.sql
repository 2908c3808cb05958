-- Purpose: whether a canonical Lokasi cell is well formed: SEMUA, or `;`-separated codes of kab/kota
-- (`36.02`), kecamatan (`36.02.01`) or desa (`36.02.01.2001`). Whether a code lies inside the pemda (and a
-- kab/kota code is only for a province's own OPDs) is rule R12's other half; whether it exists, W10's.
-- Grain: a scalar per row.
CREATE OR REPLACE MACRO core.lokasi_sah(lokasi) AS
    regexp_full_match(lokasi, 'SEMUA|\d{2}\.\d{2}(\.\d{2}(\.\d{4})?)?(;\d{2}\.\d{2}(\.\d{2}(\.\d{4})?)?)*');
