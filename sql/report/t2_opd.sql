-- Purpose: T2 Rekap per OPD for one quarter, with a total row. Each quarter's realization (TW I..IV) is the
-- OPD's own figure for that quarter, from its accepted report of that quarter, whatever the state of its
-- report of this quarter: the columns add up to T0's "realisasi dalam triwulan" of each quarter.
-- Grain: one row per pemda of $pemda and OPD (expected or submitting), then the pemda's total (even for a
-- pemda without figures).
WITH daftar AS (
    SELECT unnest($pemda::VARCHAR[]) AS kode_pemda
),

triwulan AS (
    SELECT kode_pemda, kode_skpd,
           max(realisasi_triwulan) FILTER (WHERE triwulan = 1) AS tw1,
           max(realisasi_triwulan) FILTER (WHERE triwulan = 2) AS tw2,
           max(realisasi_triwulan) FILTER (WHERE triwulan = 3) AS tw3,
           max(realisasi_triwulan) FILTER (WHERE triwulan = 4) AS tw4
    FROM mart.rekap_opd
    WHERE kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d) AND tahun = $tahun AND triwulan <= $triwulan
    GROUP BY kode_pemda, kode_skpd
),

opd AS (
    SELECT o.*, t.tw1 AS q1, t.tw2 AS q2, t.tw3 AS q3, t.tw4 AS q4
    FROM mart.rekap_opd AS o
    LEFT JOIN triwulan AS t USING (kode_pemda, kode_skpd)
    WHERE o.kode_pemda IN (SELECT d.kode_pemda FROM daftar AS d) AND o.tahun = $tahun AND o.triwulan = $triwulan
)

SELECT kode_pemda, kode_skpd, nama_skpd, strategi, pagu, q1 AS tw1, q2 AS tw2, q3 AS tw3, q4 AS tw4,
       realisasi_kumulatif, persen_serapan,
       status || CASE WHEN ada_revisi_ditolak THEN ' (revisi terakhir ditolak)' ELSE '' END AS status,
       CASE WHEN file_hash IS NOT NULL THEN 'revisi ' || coalesce(revisi, 0) || ': ' || nama_berkas END AS dipakai,
       0 AS tingkat
FROM opd
UNION ALL
SELECT d.kode_pemda, NULL, 'Jumlah', NULL, sum(o.pagu), sum(o.q1), sum(o.q2), sum(o.q3), sum(o.q4),
       sum(o.realisasi_kumulatif), core.persen(sum(o.realisasi_kumulatif), sum(o.pagu)),
       count(o.kode_pemda) FILTER (WHERE o.status = 'diterima') || ' dari ' || count(o.kode_pemda)
       || ' OPD diterima',
       NULL, 1
FROM daftar AS d
LEFT JOIN opd AS o ON o.kode_pemda = d.kode_pemda
GROUP BY d.kode_pemda
ORDER BY kode_pemda, tingkat, kode_skpd;
