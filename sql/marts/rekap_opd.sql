-- Purpose: rebuild mart.rekap_opd for one pemda and year: every expected or submitting OPD on every
-- quarter seen, with its figures and the state of its submission for that quarter.
-- Grain: one row per pemda, tahun, triwulan, OPD.
DELETE FROM mart.rekap_opd WHERE kode_pemda = $kode_pemda AND tahun = $tahun;

INSERT INTO mart.rekap_opd
WITH kiriman AS (
    SELECT * FROM core.submission
    WHERE kode_pemda = $kode_pemda AND tahun = $tahun AND triwulan IS NOT NULL AND kode_skpd IS NOT NULL
),
opd AS (
    SELECT kode_skpd, nama_skpd, true AS terdaftar
    FROM core.opd_terdaftar WHERE kode_pemda = $kode_pemda AND tahun = $tahun
    UNION ALL
    SELECT kode_skpd, arg_max(nama_skpd, received_at), false
    FROM kiriman
    WHERE kode_skpd NOT IN (
        SELECT kode_skpd FROM core.opd_terdaftar WHERE kode_pemda = $kode_pemda AND tahun = $tahun
    )
    GROUP BY kode_skpd
),
kuartal AS (SELECT range AS triwulan FROM range(1, (SELECT coalesce(max(triwulan), 0) + 1 FROM kiriman))),
angka AS (
    SELECT triwulan, kode_skpd,
           string_agg(DISTINCT strategi, ', ' ORDER BY strategi) AS strategi,
           sum(pagu) AS pagu, sum(realisasi_triwulan) AS realisasi_triwulan,
           sum(realisasi_kumulatif) AS realisasi_kumulatif,
           sum(tw1) AS tw1, sum(tw2) AS tw2, sum(tw3) AS tw3, sum(tw4) AS tw4,
           count(DISTINCT kode_sub_kegiatan) AS jumlah_sub_kegiatan, sum(sasaran_kk) AS sasaran_kk
    FROM mart.realisasi_rinci
    WHERE kode_pemda = $kode_pemda AND tahun = $tahun
    GROUP BY ALL
),
keadaan AS (
    SELECT triwulan, kode_skpd,
           arg_max(file_hash, received_at) FILTER (WHERE status = 'diterima') AS file_hash,
           bool_or(status = 'diterima') AS ada_diterima,
           bool_or(status = 'ditolak') AS ada_ditolak,
           bool_or(status = 'ditolak' AND received_at > (
               SELECT max(d.received_at) FROM kiriman AS d
               WHERE d.status = 'diterima' AND d.triwulan = k.triwulan AND d.kode_skpd = k.kode_skpd
           )) AS ditolak_setelah_diterima
    FROM kiriman AS k
    GROUP BY ALL
)
SELECT $kode_pemda, $tahun, q.triwulan, o.kode_skpd, o.nama_skpd,
       a.strategi, a.pagu, a.realisasi_triwulan, a.realisasi_kumulatif, a.tw1, a.tw2, a.tw3, a.tw4,
       core.persen(a.realisasi_kumulatif, a.pagu),
       coalesce(a.jumlah_sub_kegiatan, 0), a.sasaran_kk,
       CASE WHEN k.ada_diterima THEN 'diterima' WHEN k.ada_ditolak THEN 'ditolak'
            ELSE 'belum menyampaikan' END,
       o.terdaftar, k.file_hash, s.nama_berkas, s.revisi, coalesce(k.ditolak_setelah_diterima, false)
FROM opd AS o
CROSS JOIN kuartal AS q
LEFT JOIN angka AS a ON a.kode_skpd = o.kode_skpd AND a.triwulan = q.triwulan
LEFT JOIN keadaan AS k ON k.kode_skpd = o.kode_skpd AND k.triwulan = q.triwulan
LEFT JOIN core.submission AS s ON s.file_hash = k.file_hash
ORDER BY q.triwulan, o.kode_skpd;
