-- Purpose: mart.realisasi_rinci, the realization of every row used for a quarter, both realisasi columns
-- complete, with the quarters side by side (Matriks 2): its definition, then its rebuild for every pemda and
-- year marked in staging.rekap_ulang, in one statement. For each OPD and quarter the latest accepted revision
-- is used; the realisasi column an OPD did not fill is derived from the previous quarter:
-- kumulatif(q) = kumulatif(q-1) + triwulan(q), triwulan(q) = kumulatif(q) - kumulatif(q-1).
-- tw1..tw4 hold the realization of each quarter as known at this triwulan (NULL after it).
-- Grain: one row per pemda, tahun, triwulan, OPD, sub kegiatan, sumber dana.
CREATE TABLE IF NOT EXISTS mart.realisasi_rinci (
    kode_pemda          VARCHAR NOT NULL,
    tahun               INTEGER NOT NULL,
    triwulan            INTEGER NOT NULL,
    kode_skpd           VARCHAR NOT NULL,
    kode_program        VARCHAR NOT NULL,
    kode_kegiatan       VARCHAR NOT NULL,
    kode_sub_kegiatan   VARCHAR NOT NULL,
    nama_sub_kegiatan   VARCHAR NOT NULL,
    strategi            VARCHAR NOT NULL,
    sumber_dana         VARCHAR NOT NULL,
    pagu                DECIMAL(18, 2) NOT NULL,
    pagu_murni          DECIMAL(18, 2),
    realisasi_triwulan  DECIMAL(18, 2) NOT NULL,
    realisasi_kumulatif DECIMAL(18, 2) NOT NULL,
    tw1                 DECIMAL(18, 2),
    tw2                 DECIMAL(18, 2),
    tw3                 DECIMAL(18, 2),
    tw4                 DECIMAL(18, 2),
    persen_serapan      DECIMAL(7, 2),
    indikator           VARCHAR,
    satuan              VARCHAR,
    target_volume       DECIMAL(18, 4),
    realisasi_volume    DECIMAL(18, 4),
    sasaran_kk          BIGINT,
    lokasi              VARCHAR,
    keterangan          VARCHAR,
    file_hash           VARCHAR NOT NULL,
    revisi              INTEGER,
    baris               INTEGER NOT NULL
);

DELETE FROM mart.realisasi_rinci
WHERE (kode_pemda, tahun) IN (SELECT kode_pemda, tahun FROM staging.rekap_ulang);

INSERT INTO mart.realisasi_rinci (
    kode_pemda, tahun, triwulan, kode_skpd, kode_program, kode_kegiatan, kode_sub_kegiatan,
    nama_sub_kegiatan, strategi, sumber_dana, pagu, pagu_murni, realisasi_triwulan, realisasi_kumulatif, tw1,
    tw2, tw3, tw4, persen_serapan, indikator, satuan, target_volume, realisasi_volume, sasaran_kk, lokasi,
    keterangan, file_hash, revisi, baris
)
WITH dipakai AS (
    SELECT s.file_hash, s.kode_pemda, s.tahun, s.kode_skpd, s.triwulan, s.revisi
    FROM core.submission AS s
    JOIN staging.rekap_ulang USING (kode_pemda, tahun)
    WHERE s.status = 'diterima'
),

baris AS (
    SELECT r.*, d.revisi FROM core.realisasi AS r JOIN dipakai AS d USING (file_hash)
),

-- One row per series (OPD x sub kegiatan x sumber dana) with what it reported in each quarter:
-- k = realisasi s.d. triwulan, t = realisasi triwulan ini (NULL where the OPD left the column out or
-- the series was not in that quarter's file).
seri AS (
    SELECT kode_pemda, tahun, kode_skpd, kode_sub_kegiatan, sumber_dana,
           max(realisasi_kumulatif) FILTER (WHERE triwulan = 1) AS k1,
           max(realisasi_kumulatif) FILTER (WHERE triwulan = 2) AS k2,
           max(realisasi_kumulatif) FILTER (WHERE triwulan = 3) AS k3,
           max(realisasi_kumulatif) FILTER (WHERE triwulan = 4) AS k4,
           max(realisasi_triwulan) FILTER (WHERE triwulan = 1) AS t1,
           max(realisasi_triwulan) FILTER (WHERE triwulan = 2) AS t2,
           max(realisasi_triwulan) FILTER (WHERE triwulan = 3) AS t3,
           max(realisasi_triwulan) FILTER (WHERE triwulan = 4) AS t4
    FROM baris
    GROUP BY ALL
),

-- The cumulative of each quarter: as reported, else the previous quarter's plus this quarter's figure
-- (a quarter the series skipped adds nothing and carries the cumulative forward); the quarterly figure:
-- as reported, else the difference of the cumulatives.
lengkap AS (
    SELECT *,
           coalesce(k1, t1, 0) AS c1,
           coalesce(k2, c1 + coalesce(t2, 0)) AS c2,
           coalesce(k3, c2 + coalesce(t3, 0)) AS c3,
           coalesce(k4, c3 + coalesce(t4, 0)) AS c4,
           coalesce(t1, c1) AS q1,
           coalesce(t2, c2 - c1) AS q2,
           coalesce(t3, c3 - c2) AS q3,
           coalesce(t4, c4 - c3) AS q4
    FROM seri
),

hasil AS (
    SELECT b.*,
           CASE b.triwulan WHEN 1 THEN l.q1 WHEN 2 THEN l.q2 WHEN 3 THEN l.q3 ELSE l.q4 END AS tw,
           CASE b.triwulan WHEN 1 THEN l.c1 WHEN 2 THEN l.c2 WHEN 3 THEN l.c3 ELSE l.c4 END AS kum,
           l.q1, l.q2, l.q3, l.q4
    FROM baris AS b
    JOIN lengkap AS l USING (kode_pemda, tahun, kode_skpd, kode_sub_kegiatan, sumber_dana)
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
FROM hasil
ORDER BY kode_pemda, tahun, triwulan, kode_skpd, kode_sub_kegiatan, sumber_dana;
