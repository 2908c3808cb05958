-- Purpose: T3 Matriks 2 (rincian) for one quarter, laid out like the Evaluasi Renja: each OPD, program,
-- kegiatan and (when it has several sumber dana) sub kegiatan row sits above its rows and carries their
-- subtotal; the total comes last. Program and kegiatan have no name in the data: their row is named by
-- their code. Realisasi volume (K) of each quarter is the volume reported in that quarter's file, s.d.
-- that quarter; realisasi (Rp) of each quarter is the money spent in that quarter alone.
-- Grain: per pemda of $pemda, one row per OPD x sub kegiatan x sumber dana (tingkat 0), one subtotal row per
-- sub kegiatan with several sumber dana (5), kegiatan (4), program (3) and OPD (2), and the total (1, even
-- for a pemda without figures).
WITH daftar AS (
    SELECT unnest($pemda::VARCHAR[]) AS kode_pemda
),

rinci AS (
    SELECT r.*, o.nama_skpd
    FROM mart.realisasi_rinci AS r
    JOIN mart.rekap_opd AS o USING (kode_pemda, tahun, triwulan, kode_skpd)
    WHERE r.kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d) AND r.tahun = $tahun AND r.triwulan = $triwulan
),

volume AS (
    SELECT kode_pemda, kode_skpd, kode_sub_kegiatan, sumber_dana,
           max(realisasi_volume) FILTER (WHERE triwulan = 1) AS k1,
           max(realisasi_volume) FILTER (WHERE triwulan = 2) AS k2,
           max(realisasi_volume) FILTER (WHERE triwulan = 3) AS k3,
           max(realisasi_volume) FILTER (WHERE triwulan = 4) AS k4
    FROM mart.realisasi_rinci
    WHERE kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d) AND tahun = $tahun AND triwulan <= $triwulan
    GROUP BY ALL
),

-- The detail rows are the mart's rows as they are (one per OPD x sub kegiatan x sumber dana: rule R11
-- rejects a file that lists one twice); only the subtotals are aggregated, by a rollup over the four levels
-- above sumber dana. `rollup` numbers the levels as a rollup over all five columns would (0 detail, 1 sub
-- kegiatan, 3 kegiatan, 7 program, 15 OPD, 31 total). Aggregating only the figures a subtotal shows, and
-- the strategies as a sorted list rather than a DISTINCT aggregate (which DuckDB plans as one more
-- aggregate and join per level), nearly halves the time of this query, the report's largest. The rollup
-- starts from the pemda asked for, so that a pemda without rows still has its total row (as a rollup over no
-- rows has); its other levels keep only groups with rows.
susun AS (
    SELECT kode_pemda, kode_skpd, kode_program, kode_kegiatan, kode_sub_kegiatan, sumber_dana, 0 AS rollup, 1 AS baris,
           nama_skpd, nama_sub_kegiatan, strategi, indikator, satuan, target_volume, pagu,
           v.k1, tw1, v.k2, tw2, v.k3, tw3, v.k4, tw4, realisasi_kumulatif, realisasi_volume, sasaran_kk,
           lokasi, keterangan
    FROM rinci
    LEFT JOIN volume AS v USING (kode_pemda, kode_skpd, kode_sub_kegiatan, sumber_dana)
    UNION ALL
    SELECT d.kode_pemda, r.kode_skpd, r.kode_program, r.kode_kegiatan, r.kode_sub_kegiatan, NULL,
           grouping(r.kode_skpd, r.kode_program, r.kode_kegiatan, r.kode_sub_kegiatan) * 2 + 1,
           count(r.kode_pemda),
           any_value(r.nama_skpd), min(r.nama_sub_kegiatan),
           array_to_string(list_sort(list_distinct(list(r.strategi) FILTER (WHERE r.kode_pemda IS NOT NULL))), ', '),
           NULL, NULL, NULL, sum(r.pagu), NULL, sum(r.tw1), NULL, sum(r.tw2), NULL, sum(r.tw3), NULL, sum(r.tw4),
           sum(r.realisasi_kumulatif), NULL, sum(r.sasaran_kk), NULL, NULL
    FROM daftar AS d
    LEFT JOIN rinci AS r ON r.kode_pemda = d.kode_pemda
    GROUP BY d.kode_pemda, ROLLUP (r.kode_skpd, r.kode_program, r.kode_kegiatan, r.kode_sub_kegiatan)
    HAVING grouping(r.kode_skpd) = 1 OR count(r.kode_pemda) > 0
),

baris AS (
    SELECT *,
           CASE rollup WHEN 0 THEN 0 WHEN 1 THEN 5 WHEN 3 THEN 4 WHEN 7 THEN 3 WHEN 15 THEN 2 ELSE 1 END
               AS tingkat
    FROM susun
    -- A sub kegiatan with a single sumber dana needs no subtotal of its own.
    WHERE rollup <> 1 OR baris > 1
)

SELECT kode_pemda,
       CASE tingkat WHEN 0 THEN kode_sub_kegiatan WHEN 5 THEN kode_sub_kegiatan WHEN 4 THEN kode_kegiatan
                    WHEN 3 THEN kode_program WHEN 2 THEN kode_skpd END AS kode,
       CASE tingkat WHEN 0 THEN nama_sub_kegiatan WHEN 5 THEN nama_sub_kegiatan
                    WHEN 4 THEN 'Kegiatan ' || kode_kegiatan WHEN 3 THEN 'Program ' || kode_program
                    WHEN 2 THEN nama_skpd ELSE 'Jumlah' END AS uraian,
       strategi,
       CASE WHEN tingkat = 0 THEN sumber_dana END AS sumber_dana,
       CASE WHEN tingkat = 0 THEN indikator END AS indikator,
       CASE WHEN tingkat = 0 THEN satuan END AS satuan,
       CASE WHEN tingkat = 0 THEN target_volume END AS target_volume,
       pagu,
       CASE WHEN tingkat = 0 THEN k1 END AS k1, tw1,
       CASE WHEN tingkat = 0 THEN k2 END AS k2, tw2,
       CASE WHEN tingkat = 0 THEN k3 END AS k3, tw3,
       CASE WHEN tingkat = 0 THEN k4 END AS k4, tw4,
       realisasi_kumulatif,
       core.persen(realisasi_kumulatif, pagu) AS persen_serapan,
       -- Volumes carry up to four decimals: scale by 100 so that core.persen keeps them exact.
       CASE WHEN tingkat = 0 THEN core.persen(realisasi_volume * 100, target_volume * 100) END
           AS persen_capaian_volume,
       sasaran_kk,
       CASE WHEN tingkat = 0 THEN lokasi END AS lokasi,
       CASE WHEN tingkat = 0 THEN keterangan END AS keterangan,
       tingkat
FROM baris
ORDER BY kode_pemda, kode_skpd NULLS LAST, kode_program NULLS FIRST, kode_kegiatan NULLS FIRST,
         kode_sub_kegiatan NULLS FIRST, sumber_dana NULLS FIRST;
