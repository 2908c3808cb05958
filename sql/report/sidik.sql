-- Purpose: the fingerprint of what the report of each pemda in $pemda for $tahun/$triwulan reads, and of
-- what its letters and steward's list read, so that a run writes again only the reports and letters whose
-- inputs changed (rekap/report/sidik.py). A superset on purpose: every row of the pemda's year in each table
-- the report SQL reads; a kab/kota's rows count for its province too (T8 shows it); the region reference
-- counts for every pemda. Order-free: per part, its row count and the sum of its rows' hashes. The letters
-- also read the findings, the rejected files the quarter's runs took in, which of their files this run
-- $run_id received (marked new) and the files it passed over. `hash(t)` hashes the whole row of alias
-- t, which sqlfluff takes for an unused alias (noqa AL05).
-- Grain: one row per pemda of $pemda.
WITH pemda AS (
    SELECT DISTINCT unnest($pemda::VARCHAR []) AS kode_pemda
),

bagian AS (
    SELECT 'laporan' AS untuk, 'realisasi_rinci' AS bagian, u.pembaca, hash(t) AS h
    FROM mart.realisasi_rinci AS t,
        unnest(list_distinct([t.kode_pemda, split_part(t.kode_pemda, '.', 1)])) AS u (pembaca)
    WHERE t.tahun = $tahun
    UNION ALL
    SELECT 'laporan', 'rekap_opd', u.pembaca, hash(t)
    FROM mart.rekap_opd AS t,
        unnest(list_distinct([t.kode_pemda, split_part(t.kode_pemda, '.', 1)])) AS u (pembaca)
    WHERE t.tahun = $tahun
    UNION ALL
    SELECT 'laporan', 'rekap_strategi', u.pembaca, hash(t)
    FROM mart.rekap_strategi AS t,
        unnest(list_distinct([t.kode_pemda, split_part(t.kode_pemda, '.', 1)])) AS u (pembaca)
    WHERE t.tahun = $tahun
    UNION ALL
    SELECT 'laporan', 'rekap_provinsi', t.kode_provinsi, hash(t)
    FROM mart.rekap_provinsi AS t
    WHERE t.tahun = $tahun
    UNION ALL
    SELECT 'laporan', 'berkas', u.pembaca, hash(t)
    FROM mart.berkas AS t,
        unnest(list_distinct([t.kode_pemda, split_part(t.kode_pemda, '.', 1)])) AS u (pembaca)
    UNION ALL
    SELECT 'laporan', 'opd_terdaftar', u.pembaca, hash(t)
    FROM mart.opd_terdaftar AS t,
        unnest(list_distinct([t.kode_pemda, split_part(t.kode_pemda, '.', 1)])) AS u (pembaca)
    WHERE t.tahun = $tahun
    UNION ALL
    SELECT 'laporan', 'sasaran_desa', u.pembaca, hash(t.kode_desa, t.kk_miskin_ekstrem)
    FROM mart.sasaran_desa AS t,
        unnest(list_distinct([
            array_to_string(string_split(t.kode_desa, '.')[1:2], '.'), split_part(t.kode_desa, '.', 1)
        ])) AS u (pembaca)
    WHERE t.tahun = $tahun
    UNION ALL
    SELECT 'laporan', 'submission', u.pembaca, hash(t)
    FROM core.submission AS t,
        unnest(list_distinct([t.kode_pemda, split_part(t.kode_pemda, '.', 1)])) AS u (pembaca)
    UNION ALL
    SELECT 'laporan', 'realisasi', u.pembaca, hash(t)
    FROM core.realisasi AS t,
        unnest(list_distinct([t.kode_pemda, split_part(t.kode_pemda, '.', 1)])) AS u (pembaca)
    WHERE t.tahun = $tahun
    UNION ALL
    SELECT 'surat', 'temuan', b.kode_pemda, hash(t)
    FROM mart.temuan AS t  -- noqa: AL05
    JOIN mart.berkas AS b USING (file_hash)
    UNION ALL
    -- Rejected files taken in by this quarter's runs for the pemda (whatever their identity says), and those
    -- naming no OPD by its runs for every pemda (berkas_ditolak.sql, berkas_tanpa_opd.sql).
    SELECT 'surat', 'diambil_run', p.kode_pemda, hash(b, t)
    FROM mart.berkas AS b
    JOIN mart.run AS r USING (run_id)
    JOIN pemda AS p ON r.kode_pemda = p.kode_pemda OR (r.kode_pemda IS NULL AND b.kode_skpd IS NULL)
    LEFT JOIN mart.temuan AS t USING (file_hash)  -- noqa: AL05
    WHERE b.status = 'ditolak' AND r.tahun = $tahun AND r.triwulan = $triwulan
    UNION ALL
    -- Which letters' files this run received: the letter marks them new (berkas_ditolak.sql's files).
    SELECT 'surat', 'baru', p.kode_pemda, hash(s.file_hash)
    FROM mart.berkas AS s
    JOIN pemda AS p
      ON (s.kode_pemda = p.kode_pemda AND s.tahun = $tahun AND s.triwulan = $triwulan)
      OR p.kode_pemda IN (SELECT r.kode_pemda FROM mart.run AS r WHERE r.run_id = $run_id)
    WHERE s.run_id = $run_id AND s.status = 'ditolak' AND s.kode_skpd IS NOT NULL
      AND NOT EXISTS (
          SELECT 1
          FROM mart.berkas AS n
          WHERE n.kode_pemda = s.kode_pemda AND n.tahun = s.tahun AND n.triwulan = s.triwulan
            AND n.kode_skpd = s.kode_skpd AND n.received_at > s.received_at
      )
    UNION ALL
    SELECT 'surat', 'dilewati', p.kode_pemda, hash(d.jenis, d.nama_berkas, d.source_path, d.alasan)
    FROM mart.berkas_dilewati AS d, pemda AS p
    WHERE d.run_id = $run_id
),

per_bagian AS (
    SELECT b.pembaca AS kode_pemda, b.untuk, b.bagian, count(*) AS n, sum(b.h::HUGEINT) AS jumlah
    FROM bagian AS b
    SEMI JOIN pemda AS p ON b.pembaca = p.kode_pemda
    GROUP BY ALL
),

wilayah AS (
    SELECT coalesce(string_agg(hash(w.berkas, w.sha256, w.jumlah_wilayah)::VARCHAR, ',' ORDER BY w.berkas), '')
        AS sidik
    FROM ref.wilayah_sumber AS w
)

SELECT p.kode_pemda,
       md5(concat_ws('|', $tahun, $triwulan, w.sidik, string_agg(
           c.bagian || ':' || c.n || ':' || c.jumlah, ',' ORDER BY c.bagian
       ) FILTER (WHERE c.untuk = 'laporan'))) AS sidik_laporan,
       md5(concat_ws('|', $tahun, $triwulan, w.sidik, string_agg(
           c.bagian || ':' || c.n || ':' || c.jumlah, ',' ORDER BY c.bagian
       ))) AS sidik_surat
FROM pemda AS p
CROSS JOIN wilayah AS w
LEFT JOIN per_bagian AS c ON c.kode_pemda = p.kode_pemda
GROUP BY p.kode_pemda, w.sidik
ORDER BY p.kode_pemda;
