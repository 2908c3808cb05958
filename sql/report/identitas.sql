-- Purpose: the name of the pemda as its files give it (most frequent). Grain: one row.
SELECT coalesce(mode(nama_pemda), $kode_pemda)
FROM core.submission
WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND lolos;
