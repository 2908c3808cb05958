-- Purpose: T1 Rekap per Strategi for one quarter, with a total row.
-- Grain: one row per Inpres 4/2022 strategy (PBP, PPD, PKK), then the total.
SELECT * EXCLUDE (urut)
FROM (
    SELECT strategi || ' - ' || nama_strategi AS strategi, jumlah_opd, jumlah_sub_kegiatan, pagu,
           realisasi_triwulan, realisasi_kumulatif, persen_serapan, sasaran_kk, 0 AS tingkat,
           list_position(['PBP', 'PPD', 'PKK'], strategi) AS urut
    FROM mart.rekap_strategi
    WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan
    UNION ALL
    SELECT 'Jumlah',
           (SELECT count(DISTINCT kode_skpd) FROM mart.realisasi_rinci
            WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan),
           sum(jumlah_sub_kegiatan), sum(pagu), sum(realisasi_triwulan), sum(realisasi_kumulatif),
           core.persen(sum(realisasi_kumulatif), sum(pagu)), sum(sasaran_kk), 1, 4
    FROM mart.rekap_strategi
    WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan = $triwulan
) AS strategi_jumlah
ORDER BY urut;
