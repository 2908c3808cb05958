-- Purpose: T7 Catatan, automatic flags for the quarterly meeting, each with the figures that raised it:
--   1. an OPD whose serapan is below half of the pemda's serapan;
--   2. a sub kegiatan with pagu but no cumulative realization at TW II or later;
--   3. cumulative realization that did not move since last quarter (some spent, not all);
--   4. pagu changed since last quarter (APBD-P, or a correction);
--   5. a large jump: realization within this quarter above half of the pagu;
--   6. a row reported last quarter that the OPD's file of this quarter no longer has;
--   7. an expected OPD with no accepted file for this quarter (rejected, or not sent).
-- Grain: per pemda of $pemda, one row per flag raised (per OPD for flag 1, per sub kegiatan x sumber dana
-- for the others).
WITH ini AS (
    SELECT * FROM mart.realisasi_rinci
    WHERE kode_pemda IN (SELECT unnest($pemda::VARCHAR[])) AND tahun = $tahun AND triwulan = $triwulan
),

lalu AS (
    SELECT * FROM mart.realisasi_rinci
    WHERE kode_pemda IN (SELECT unnest($pemda::VARCHAR[])) AND tahun = $tahun AND triwulan = $triwulan - 1
),

opd AS (
    SELECT * FROM mart.rekap_opd
    WHERE kode_pemda IN (SELECT unnest($pemda::VARCHAR[])) AND tahun = $tahun AND triwulan = $triwulan
),

pemda AS (
    SELECT kode_pemda, core.persen(sum(realisasi_kumulatif), sum(pagu)) AS persen_serapan
    FROM opd
    GROUP BY kode_pemda
),

catatan AS (
    SELECT o.kode_pemda, 1 AS urut, 'Serapan OPD kurang dari separuh serapan pemda' AS catatan, o.kode_skpd,
           NULL AS kode_sub_kegiatan, NULL AS nama_sub_kegiatan, NULL AS sumber_dana,
           o.pagu, o.realisasi_triwulan, o.realisasi_kumulatif, o.persen_serapan,
           NULL::DECIMAL(38, 2) AS pembanding_rp, p.persen_serapan AS pembanding_persen,
           'Pembanding: serapan pemda' AS keterangan
    FROM opd AS o
    JOIN pemda AS p ON p.kode_pemda = o.kode_pemda
    WHERE o.persen_serapan * 2 < p.persen_serapan
    UNION ALL
    SELECT kode_pemda, 2, 'Ada pagu, realisasi kumulatif masih nol', kode_skpd, kode_sub_kegiatan, nama_sub_kegiatan,
           sumber_dana, pagu, realisasi_triwulan, realisasi_kumulatif, persen_serapan, NULL, NULL, NULL
    FROM ini
    WHERE $triwulan >= 2 AND pagu > 0 AND realisasi_kumulatif = 0
    UNION ALL
    SELECT i.kode_pemda, 3, 'Realisasi kumulatif tidak bertambah sejak triwulan lalu', i.kode_skpd, i.kode_sub_kegiatan,
           i.nama_sub_kegiatan, i.sumber_dana, i.pagu, i.realisasi_triwulan, i.realisasi_kumulatif,
           i.persen_serapan, l.realisasi_kumulatif AS pembanding_rp, NULL,
           'Pembanding: realisasi kumulatif triwulan lalu'
    FROM ini AS i
    JOIN lalu AS l USING (kode_pemda, kode_skpd, kode_sub_kegiatan, sumber_dana)
    WHERE i.realisasi_kumulatif = l.realisasi_kumulatif
      AND i.realisasi_kumulatif > 0 AND i.realisasi_kumulatif < i.pagu
    UNION ALL
    SELECT i.kode_pemda, 4, 'Pagu berubah sejak triwulan lalu (APBD-P)', i.kode_skpd, i.kode_sub_kegiatan,
           i.nama_sub_kegiatan, i.sumber_dana, i.pagu, i.realisasi_triwulan, i.realisasi_kumulatif,
           i.persen_serapan, l.pagu AS pembanding_rp, NULL, 'Pembanding: pagu triwulan lalu'
    FROM ini AS i
    JOIN lalu AS l USING (kode_pemda, kode_skpd, kode_sub_kegiatan, sumber_dana)
    WHERE i.pagu <> l.pagu
    UNION ALL
    SELECT kode_pemda, 5, 'Lonjakan: realisasi dalam triwulan lebih dari separuh pagu', kode_skpd, kode_sub_kegiatan,
           nama_sub_kegiatan, sumber_dana, pagu, realisasi_triwulan, realisasi_kumulatif, persen_serapan,
           NULL, core.persen(realisasi_triwulan, pagu), 'Pembanding: realisasi dalam triwulan terhadap pagu'
    FROM ini
    WHERE pagu > 0 AND realisasi_triwulan * 2 > pagu
    UNION ALL
    SELECT l.kode_pemda, 6, 'Baris triwulan lalu tidak ada lagi di laporan triwulan ini', l.kode_skpd,
           l.kode_sub_kegiatan, l.nama_sub_kegiatan, l.sumber_dana, l.pagu, NULL, l.realisasi_kumulatif,
           l.persen_serapan, NULL, NULL, 'Angka triwulan lalu'
    FROM lalu AS l
    WHERE EXISTS (SELECT 1 FROM ini AS i WHERE i.kode_pemda = l.kode_pemda AND i.kode_skpd = l.kode_skpd)
      AND NOT EXISTS (
          SELECT 1 FROM ini AS i
          WHERE i.kode_pemda = l.kode_pemda AND i.kode_skpd = l.kode_skpd AND i.kode_sub_kegiatan = l.kode_sub_kegiatan
            AND i.sumber_dana = l.sumber_dana
      )
    UNION ALL
    SELECT kode_pemda, 7, 'OPD belum punya laporan yang diterima untuk triwulan ini', kode_skpd, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, NULL, 'Status: ' || status
    FROM opd
    WHERE status <> 'diterima'
)

SELECT c.kode_pemda, c.catatan, c.kode_skpd, o.nama_skpd, c.kode_sub_kegiatan, c.nama_sub_kegiatan, c.sumber_dana,
       c.pagu, c.realisasi_triwulan, c.realisasi_kumulatif, c.persen_serapan,
       c.pembanding_rp, c.pembanding_persen, c.keterangan, 0 AS tingkat
FROM catatan AS c
LEFT JOIN opd AS o USING (kode_pemda, kode_skpd)
ORDER BY c.kode_pemda, c.urut, c.kode_skpd, c.kode_sub_kegiatan, c.sumber_dana;
