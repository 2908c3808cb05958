-- Purpose: load the rows of the staged files of quarter $triwulan that passed validation, in canonical
-- form (sen -> DECIMAL exactly). Grain: one row per accepted data row.
INSERT INTO core.realisasi (
    file_hash, kode_pemda, tahun, triwulan, kode_skpd, kode_sub_kegiatan, nama_sub_kegiatan, strategi,
    sumber_dana, pagu, pagu_murni, realisasi_triwulan, realisasi_kumulatif, indikator, satuan, target_volume,
    realisasi_volume, sasaran_kk, lokasi, keterangan, source_path, sheet, baris
)
SELECT f.file_hash, f.kode_pemda, f.tahun, f.triwulan, f.kode_skpd,
       b.kode_sub_kegiatan, b.nama_sub_kegiatan, b.strategi, b.sumber_dana,
       b.pagu_sen::DECIMAL(18, 0) * 0.01,
       b.pagu_murni_sen::DECIMAL(18, 0) * 0.01,
       CASE WHEN b.realisasi_triwulan_ada THEN b.realisasi_triwulan_sen::DECIMAL(18, 0) * 0.01 END,
       CASE WHEN b.realisasi_kumulatif_ada THEN b.realisasi_kumulatif_sen::DECIMAL(18, 0) * 0.01 END,
       b.indikator, b.satuan, b.target_volume::DECIMAL(18, 4), b.realisasi_volume::DECIMAL(18, 4),
       b.sasaran_kk::BIGINT, b.lokasi, b.keterangan, f.source_path, b.sheet, b.baris
FROM staging.baris AS b
JOIN staging.berkas AS f USING (file_hash)
JOIN core.submission AS s USING (file_hash)
WHERE f.triwulan = $triwulan AND s.lolos
ORDER BY f.file_hash, b.baris;
