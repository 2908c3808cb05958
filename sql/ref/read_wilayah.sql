-- Purpose: read a region reference CSV (`kode,nama,tingkat`, header on the first line) into a temporary
-- table, to be checked (ref/wilayah_tidak_sah.sql) before it replaces ref.wilayah.
-- Grain: one row per line of the file.
CREATE OR REPLACE TEMP TABLE wilayah_baru AS
SELECT trim(kode) AS kode, trim(nama) AS nama, lower(trim(tingkat)) AS tingkat
FROM read_csv($berkas, header = TRUE, auto_detect = FALSE, delim = ',', quote = '"', escape = '"',
              columns = {'kode': 'VARCHAR', 'nama': 'VARCHAR', 'tingkat': 'VARCHAR'});
