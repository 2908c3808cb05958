-- Purpose: `rekap asal`: the file rows behind a figure of the report, for any prefix of its key (pemda,
-- tahun, triwulan, then optionally OPD, sub kegiatan, sumber dana). Grain: one row per contributing row.
SELECT kode_skpd, kode_sub_kegiatan, sumber_dana, peran, triwulan_berkas, nama_berkas, sheet, baris, revisi,
       pagu, realisasi_triwulan, realisasi_kumulatif, file_hash, source_path
FROM mart.asal
WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan
  AND ($kode_skpd IS NULL OR kode_skpd = $kode_skpd)
  AND ($kode_sub_kegiatan IS NULL OR kode_sub_kegiatan = $kode_sub_kegiatan)
  AND ($sumber_dana IS NULL OR sumber_dana = $sumber_dana)
ORDER BY kode_skpd, kode_sub_kegiatan, sumber_dana, triwulan_berkas, nama_berkas, baris;
