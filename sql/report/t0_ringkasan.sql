-- Purpose: T0 Ringkasan, each pemda's headline figures on one screen: this quarter beside the previous one,
-- and the change. Each figure is one row; `jenis` says how its numbers read (rupiah, persen, angka).
-- Grain: one row per pemda of $pemda and figure, in reading order.
WITH opd AS (
    SELECT kode_pemda, triwulan,
           sum(pagu) AS pagu,
           sum(realisasi_triwulan) AS realisasi_triwulan,
           sum(realisasi_kumulatif) AS realisasi_kumulatif,
           CASE WHEN bool_or(terdaftar) THEN count(*) FILTER (WHERE terdaftar) ELSE count(*) END AS opd_diharapkan,
           count(*) FILTER (WHERE status = 'diterima') AS opd_diterima,
           count(*) FILTER (WHERE status = 'ditolak') AS opd_ditolak,
           count(*) FILTER (WHERE status = 'belum menyampaikan') AS opd_belum,
           sum(jumlah_sub_kegiatan) AS sub_kegiatan,
           coalesce(sum(sasaran_kk), 0) AS sasaran_kk
    FROM mart.rekap_opd
    WHERE kode_pemda IN (SELECT unnest($pemda::VARCHAR[])) AND tahun = $tahun
      AND triwulan BETWEEN $triwulan - 1 AND $triwulan
    GROUP BY kode_pemda, triwulan
),

porsi AS (
    SELECT kode_pemda, triwulan,
           core.persen(sum(pagu) FILTER (WHERE strategi = 'PBP'), sum(pagu)) AS porsi_pbp,
           core.persen(sum(pagu) FILTER (WHERE strategi = 'PPD'), sum(pagu)) AS porsi_ppd,
           core.persen(sum(pagu) FILTER (WHERE strategi = 'PKK'), sum(pagu)) AS porsi_pkk
    FROM mart.rekap_strategi
    WHERE kode_pemda IN (SELECT unnest($pemda::VARCHAR[])) AND tahun = $tahun
      AND triwulan BETWEEN $triwulan - 1 AND $triwulan
    GROUP BY kode_pemda, triwulan
),

-- One list of figures per pemda and quarter, all as DECIMAL(38, 2) so that they stack in one column (sums of
-- amounts need not fit 18 digits).
angka AS (
    SELECT o.kode_pemda, o.triwulan,
           [
               {'urut': 1, 'uraian': 'Total pagu (Rp)', 'jenis': 'rupiah', 'nilai': o.pagu},
               {'urut': 2, 'uraian': 'Realisasi dalam triwulan (Rp)', 'jenis': 'rupiah',
                'nilai': o.realisasi_triwulan},
               {'urut': 3, 'uraian': 'Realisasi s.d. triwulan (Rp)', 'jenis': 'rupiah',
                'nilai': o.realisasi_kumulatif},
               {'urut': 4, 'uraian': 'Serapan anggaran (%)', 'jenis': 'persen',
                'nilai': core.persen(o.realisasi_kumulatif, o.pagu)},
               {'urut': 5, 'uraian': 'OPD yang wajib melapor', 'jenis': 'angka', 'nilai': o.opd_diharapkan},
               {'urut': 6, 'uraian': 'OPD diterima', 'jenis': 'angka', 'nilai': o.opd_diterima},
               {'urut': 7, 'uraian': 'OPD ditolak', 'jenis': 'angka', 'nilai': o.opd_ditolak},
               {'urut': 8, 'uraian': 'OPD belum menyampaikan', 'jenis': 'angka', 'nilai': o.opd_belum},
               {'urut': 9, 'uraian': 'Sub kegiatan', 'jenis': 'angka', 'nilai': o.sub_kegiatan},
               {'urut': 10, 'uraian': 'Sasaran KK yang dijangkau', 'jenis': 'angka', 'nilai': o.sasaran_kk},
               {'urut': 11, 'uraian': 'Porsi strategi PBP (% pagu)', 'jenis': 'persen', 'nilai': p.porsi_pbp},
               {'urut': 12, 'uraian': 'Porsi strategi PPD (% pagu)', 'jenis': 'persen', 'nilai': p.porsi_ppd},
               {'urut': 13, 'uraian': 'Porsi strategi PKK (% pagu)', 'jenis': 'persen', 'nilai': p.porsi_pkk}
           ]::STRUCT(urut INTEGER, uraian VARCHAR, jenis VARCHAR, nilai DECIMAL(38, 2))[] AS daftar
    FROM opd AS o
    LEFT JOIN porsi AS p USING (kode_pemda, triwulan)
),

baris AS (
    SELECT kode_pemda, triwulan, unnest(daftar, recursive := TRUE) FROM angka
)

SELECT k.kode_pemda, k.uraian, l.nilai AS triwulan_lalu, k.nilai AS triwulan_ini, k.nilai - l.nilai AS perubahan,
       k.jenis, 0 AS tingkat
FROM baris AS k
LEFT JOIN baris AS l ON l.kode_pemda = k.kode_pemda AND l.urut = k.urut AND l.triwulan = k.triwulan - 1
WHERE k.triwulan = $triwulan
ORDER BY k.kode_pemda, k.urut;
