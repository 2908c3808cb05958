-- Purpose: the name of pemda $kode_pemda as its files of tahun $tahun give it: the most frequent among
-- accepted files, else among all files, else the code. Grain: one row.
SELECT coalesce(mode(nama_pemda) FILTER (WHERE lolos), mode(nama_pemda), $kode_pemda) AS nama_pemda
FROM core.submission
WHERE kode_pemda = $kode_pemda AND tahun = $tahun;
