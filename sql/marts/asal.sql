-- Purpose: lineage of every figure of the report. For each figure of mart.realisasi_rinci (pemda, tahun,
-- triwulan, OPD, sub kegiatan, sumber dana): the file rows behind it, i.e. the row used for that quarter
-- and the rows of the earlier quarters its TW I..IV columns and derived realisasi build on.
-- Grain: one row per figure x contributing file row. Filter by any prefix of the figure's key to get the
-- rows behind an OPD total or a pemda total.
CREATE OR REPLACE VIEW mart.asal AS
SELECT m.kode_pemda, m.tahun, m.triwulan, m.kode_skpd, m.kode_sub_kegiatan, m.sumber_dana,
       CASE WHEN u.triwulan = m.triwulan THEN 'triwulan ini' ELSE 'triwulan sebelumnya' END AS peran,
       u.triwulan AS triwulan_berkas, r.file_hash, s.source_path, s.nama_berkas, r.sheet, r.baris, s.revisi,
       r.pagu, r.realisasi_triwulan, r.realisasi_kumulatif
FROM mart.realisasi_rinci AS m
JOIN mart.realisasi_rinci AS u
  ON u.kode_pemda = m.kode_pemda AND u.tahun = m.tahun AND u.kode_skpd = m.kode_skpd
 AND u.kode_sub_kegiatan = m.kode_sub_kegiatan AND u.sumber_dana = m.sumber_dana AND u.triwulan <= m.triwulan
JOIN core.realisasi AS r ON r.file_hash = u.file_hash AND r.baris = u.baris
JOIN core.submission AS s ON s.file_hash = r.file_hash;
