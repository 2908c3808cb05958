-- Purpose: rebuild mart.realisasi_rinci for every pemda and year marked in staging.rekap_ulang, in one
-- statement. For each OPD and quarter the latest accepted revision is used; the realisasi column an OPD
-- did not fill is derived from the previous quarter: kumulatif(q) = kumulatif(q-1) + triwulan(q),
-- triwulan(q) = kumulatif(q) - kumulatif(q-1).
-- Grain: one row per pemda, tahun, triwulan, OPD, sub kegiatan, sumber dana.
DELETE FROM mart.realisasi_rinci
WHERE (kode_pemda, tahun) IN (SELECT kode_pemda, tahun FROM staging.rekap_ulang);

INSERT INTO mart.realisasi_rinci
WITH dipakai AS (
    SELECT s.file_hash, s.kode_pemda, s.tahun, s.kode_skpd, s.triwulan, s.revisi
    FROM core.submission AS s
    JOIN staging.rekap_ulang AS u USING (kode_pemda, tahun)
    WHERE s.status = 'diterima'
),
baris AS (
    SELECT r.*, d.revisi FROM core.realisasi AS r JOIN dipakai AS d USING (file_hash)
),
-- Every series (OPD x sub kegiatan x sumber dana) on every quarter up to the OPD's latest, so that a
-- quarter the series skipped still carries its cumulative forward.
grid AS (
    SELECT s.kode_pemda, s.tahun, s.kode_skpd, s.kode_sub_kegiatan, s.sumber_dana, q.triwulan
    FROM (SELECT DISTINCT kode_pemda, tahun, kode_skpd, kode_sub_kegiatan, sumber_dana FROM baris) AS s
    JOIN (
        SELECT kode_pemda, tahun, kode_skpd, max(triwulan) AS akhir FROM dipakai GROUP BY ALL
    ) AS m USING (kode_pemda, tahun, kode_skpd)
    CROSS JOIN range(1, 5) AS q(triwulan)
    WHERE q.triwulan <= m.akhir
),
isi AS (
    SELECT g.*, b.* EXCLUDE (kode_pemda, tahun, kode_skpd, kode_sub_kegiatan, sumber_dana, triwulan),
           count(b.realisasi_kumulatif) OVER seri AS jangkar
    FROM grid AS g
    LEFT JOIN baris AS b USING (kode_pemda, tahun, kode_skpd, kode_sub_kegiatan, sumber_dana, triwulan)
    WINDOW seri AS (PARTITION BY g.kode_pemda, g.tahun, g.kode_skpd, g.kode_sub_kegiatan, g.sumber_dana
                    ORDER BY g.triwulan ROWS UNBOUNDED PRECEDING)
),
kumulatif AS (
    -- Within a run of quarters after the last reported cumulative (the anchor), add the quarterly figures.
    SELECT *,
           coalesce(max(realisasi_kumulatif) OVER anchor, 0)
           + sum(CASE WHEN realisasi_kumulatif IS NULL THEN coalesce(realisasi_triwulan, 0) ELSE 0 END)
             OVER (anchor ORDER BY triwulan ROWS UNBOUNDED PRECEDING) AS kum
    FROM isi
    WINDOW anchor AS (PARTITION BY kode_pemda, tahun, kode_skpd, kode_sub_kegiatan, sumber_dana, jangkar)
),
lengkap AS (
    SELECT *,
           coalesce(realisasi_triwulan,
                    kum - coalesce(lag(kum) OVER seri, 0)) AS tw
    FROM kumulatif
    WINDOW seri AS (PARTITION BY kode_pemda, tahun, kode_skpd, kode_sub_kegiatan, sumber_dana
                    ORDER BY triwulan)
),
sisi AS (
    SELECT *,
           max(tw) FILTER (WHERE triwulan = 1) OVER seri AS q1,
           max(tw) FILTER (WHERE triwulan = 2) OVER seri AS q2,
           max(tw) FILTER (WHERE triwulan = 3) OVER seri AS q3,
           max(tw) FILTER (WHERE triwulan = 4) OVER seri AS q4
    FROM lengkap
    WINDOW seri AS (PARTITION BY kode_pemda, tahun, kode_skpd, kode_sub_kegiatan, sumber_dana)
)
SELECT kode_pemda, tahun, triwulan, kode_skpd,
       array_to_string(string_split(kode_sub_kegiatan, '.')[1:3], '.'),
       array_to_string(string_split(kode_sub_kegiatan, '.')[1:5], '.'),
       kode_sub_kegiatan, nama_sub_kegiatan, strategi, sumber_dana, pagu, pagu_murni,
       tw, kum,
       q1, CASE WHEN triwulan >= 2 THEN q2 END, CASE WHEN triwulan >= 3 THEN q3 END,
       CASE WHEN triwulan >= 4 THEN q4 END,
       core.persen(kum, pagu),
       indikator, satuan, target_volume, realisasi_volume, sasaran_kk, lokasi, keterangan,
       file_hash, revisi, baris
FROM sisi
WHERE file_hash IS NOT NULL
ORDER BY kode_pemda, tahun, triwulan, kode_skpd, kode_sub_kegiatan, sumber_dana;
