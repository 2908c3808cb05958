-- Purpose: rule W11, a Nama Pemda that disagrees with the region reference's name for the file's Kode Pemda
-- (compared by ref.kunci_nama: case, punctuation and "Pemerintah"/"Kab."/"Pemprov" do not matter).
-- Grain: one row per violating staged file of quarter $triwulan (file_hash, nilai, nama_rujukan).
SELECT f.file_hash, f.nama_pemda AS nilai, w.nama_lengkap AS nama_rujukan
FROM staging.berkas AS f
JOIN ref.wilayah AS w ON w.kode = f.kode_pemda AND w.tingkat IN ('provinsi', 'kabupaten/kota')
WHERE f.triwulan = $triwulan
  AND f.nama_pemda IS NOT NULL
  AND ref.kunci_nama(f.nama_pemda) NOT IN (ref.kunci_nama(w.nama), ref.kunci_nama(w.nama_lengkap))
ORDER BY f.file_hash;
