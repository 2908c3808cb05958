-- Purpose: T2 Rekap per OPD for one quarter, with a total row. Each quarter's realization (TW I..IV) is the
-- OPD's own figure for that quarter, from its accepted report of that quarter, whatever the state of its
-- report of this quarter: the columns add up to T0's "realisasi dalam triwulan" of each quarter.
-- Grain: one row per OPD (expected or submitting), then the total.
WITH triwulan AS (
    SELECT kode_skpd,
           max(realisasi_triwulan) FILTER (WHERE triwulan = 1) AS tw1,
           max(realisasi_triwulan) FILTER (WHERE triwulan = 2) AS tw2,
           max(realisasi_triwulan) FILTER (WHERE triwulan = 3) AS tw3,
           max(realisasi_triwulan) FILTER (WHERE triwulan = 4) AS tw4
    FROM mart.rekap_opd
    WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan <= $triwulan
    GROUP BY kode_skpd
),

opd AS (
    SELECT o.*, t.tw1 AS q1, t.tw2 AS q2, t.tw3 AS q3, t.tw4 AS q4
    FROM mart.rekap_opd AS o
    LEFT JOIN triwulan AS t USING (kode_skpd)
    WHERE o.kode_pemda = $kode_pemda AND o.tahun = $tahun AND o.triwulan = $triwulan
)

SELECT kode_skpd, nama_skpd, strategi, pagu, q1 AS tw1, q2 AS tw2, q3 AS tw3, q4 AS tw4, realisasi_kumulatif,
       persen_serapan,
       status || CASE WHEN ada_revisi_ditolak THEN ' (revisi terakhir ditolak)' ELSE '' END AS status,
       CASE WHEN file_hash IS NOT NULL THEN 'revisi ' || coalesce(revisi, 0) || ': ' || nama_berkas END AS dipakai,
       0 AS tingkat
FROM opd
UNION ALL
SELECT NULL, 'Jumlah', NULL, sum(pagu), sum(q1), sum(q2), sum(q3), sum(q4), sum(realisasi_kumulatif),
       core.persen(sum(realisasi_kumulatif), sum(pagu)),
       count(*) FILTER (WHERE status = 'diterima') || ' dari ' || count(*) || ' OPD diterima', NULL, 1
FROM opd
ORDER BY tingkat, kode_skpd;
