-- Purpose: T5 Lokasi for one quarter: pagu, cumulative realization and sasaran KK per wilayah directly
-- below the pemda (kecamatan of a kab/kota, kab/kota of a province) x strategy, with the desa where given,
-- each named as the region reference names it (ref.wilayah; by its code when the reference does not know it).
-- Every row counts once (core.wilayah): a row naming several wilayah goes to "Beberapa wilayah", one
-- naming several desa of one kecamatan to "Beberapa desa" of that kecamatan, SEMUA or empty to "Lintas
-- wilayah / tidak disebut". A wilayah broken down by desa gets a subtotal row (tingkat 2) above its rows.
-- Where the steward has loaded the KE households in need per desa (`rekap sasaran`, mart.sasaran_desa), a
-- row naming one wilayah or one desa shows them and the coverage: sasaran KK reached / KK in need (a
-- household reached by two programs counts twice, so coverage may pass 100 %); rows spanning wilayah none.
-- Grain: per pemda of $pemda, one row per wilayah, or per wilayah and desa (tingkat 0), per broken-down
-- wilayah (2), then the rows spanning wilayah, and the total (1, even for a pemda without rows).
WITH jenjang AS (
    -- A kab/kota (36.02) names its kecamatan with 3 segments, a province (36) its kab/kota with 2.
    SELECT kode_pemda, len(string_split(kode_pemda, '.')) AS panjang, len(string_split(kode_pemda, '.')) + 1 AS segmen,
           CASE WHEN len(string_split(kode_pemda, '.')) = 1 THEN 'Kabupaten/Kota' ELSE 'Kecamatan' END AS wilayah,
           CASE WHEN len(string_split(kode_pemda, '.')) = 1 THEN 'kecamatan/desa' ELSE 'desa/kelurahan' END
               AS rinci
    FROM (SELECT unnest($pemda::VARCHAR[]) AS kode_pemda) AS daftar
),

baris AS (
    SELECT kode_pemda, strategi, pagu, realisasi_kumulatif, sasaran_kk, w.jenis, w.unit, w.rinci
    FROM (
        SELECT r.kode_pemda, r.strategi, r.pagu, r.realisasi_kumulatif, r.sasaran_kk,
               core.wilayah(r.lokasi, j.segmen) AS w
        FROM mart.realisasi_rinci AS r
        JOIN jenjang AS j ON j.kode_pemda = r.kode_pemda
        WHERE r.tahun = $tahun AND r.triwulan = $triwulan
    ) AS rinci
),

-- The desa of each pemda: those whose code starts with the pemda's, matched by the code's first segments
-- (as many as the pemda's code has) so that the join hashes rather than tries every pair.
kebutuhan AS (
    SELECT j.kode_pemda, s.kode_desa, s.kk_miskin_ekstrem
    FROM (
        SELECT d.kode_desa, d.kk_miskin_ekstrem,
               array_to_string(string_split(d.kode_desa, '.')[1:p.panjang], '.') AS awalan
        FROM mart.sasaran_desa AS d, (SELECT DISTINCT panjang FROM jenjang) AS p
        WHERE d.tahun = $tahun
    ) AS s
    JOIN jenjang AS j ON j.kode_pemda = s.awalan AND starts_with(s.kode_desa, j.kode_pemda || '.')
),

angka AS (
    SELECT j.kode_pemda, b.jenis, b.unit, b.rinci,
           grouping(b.jenis, b.unit, b.rinci) AS rollup,
           coalesce(sum(pagu) FILTER (WHERE strategi = 'PBP'), 0) AS pagu_pbp,
           coalesce(sum(realisasi_kumulatif) FILTER (WHERE strategi = 'PBP'), 0) AS realisasi_pbp,
           coalesce(sum(sasaran_kk) FILTER (WHERE strategi = 'PBP'), 0) AS kk_pbp,
           coalesce(sum(pagu) FILTER (WHERE strategi = 'PPD'), 0) AS pagu_ppd,
           coalesce(sum(realisasi_kumulatif) FILTER (WHERE strategi = 'PPD'), 0) AS realisasi_ppd,
           coalesce(sum(sasaran_kk) FILTER (WHERE strategi = 'PPD'), 0) AS kk_ppd,
           coalesce(sum(pagu) FILTER (WHERE strategi = 'PKK'), 0) AS pagu_pkk,
           coalesce(sum(realisasi_kumulatif) FILTER (WHERE strategi = 'PKK'), 0) AS realisasi_pkk,
           coalesce(sum(sasaran_kk) FILTER (WHERE strategi = 'PKK'), 0) AS kk_pkk,
           coalesce(sum(pagu), 0) AS pagu,
           coalesce(sum(realisasi_kumulatif), 0) AS realisasi_kumulatif,
           coalesce(sum(sasaran_kk), 0) AS sasaran_kk
    FROM jenjang AS j
    LEFT JOIN baris AS b ON b.kode_pemda = j.kode_pemda
    GROUP BY GROUPING SETS ((j.kode_pemda, b.jenis, b.unit, b.rinci), (j.kode_pemda, b.jenis, b.unit), (j.kode_pemda))
    HAVING grouping(b.jenis) = 1 OR count(b.kode_pemda) > 0
),

susun AS (
    SELECT a.*,
           -- A wilayah needs a subtotal row only when some of its rows name a desa.
           bool_or(a.rollup = 0 AND a.rinci IS NOT NULL) OVER (PARTITION BY a.kode_pemda, a.jenis, a.unit) AS dirinci
    FROM angka AS a
)

SELECT s.kode_pemda,
       CASE WHEN s.rollup = 0 THEN coalesce(nullif(s.rinci, 'beberapa'), s.unit) ELSE s.unit END AS kode_wilayah,
       CASE WHEN s.rollup = 7 THEN 'Jumlah'
            WHEN s.jenis = 'lintas' THEN 'Lintas wilayah / tidak disebut'
            WHEN s.jenis = 'beberapa' THEN 'Beberapa ' || lower(j.wilayah) || ' (dihitung sekali)'
            WHEN s.rollup = 1 OR NOT s.dirinci THEN coalesce(u.nama_lengkap, j.wilayah || ' ' || s.unit)
            WHEN s.rinci IS NULL
                THEN coalesce(u.nama_lengkap, j.wilayah || ' ' || s.unit) || ' tanpa rincian ' || j.rinci
            WHEN s.rinci = 'beberapa' THEN 'Beberapa ' || j.rinci || ' di '
                                          || coalesce(u.nama_lengkap, lower(j.wilayah) || ' ' || s.unit)
                                          || ' (dihitung sekali)'
            ELSE coalesce(r.nama_lengkap, upper(j.rinci[1]) || j.rinci[2:] || ' ' || s.rinci)
       END AS wilayah,
       s.pagu_pbp, s.realisasi_pbp, s.kk_pbp, s.pagu_ppd, s.realisasi_ppd, s.kk_ppd,
       s.pagu_pkk, s.realisasi_pkk, s.kk_pkk,
       s.pagu, s.realisasi_kumulatif, core.persen(s.realisasi_kumulatif, s.pagu) AS persen_serapan, s.sasaran_kk,
       k.kk AS kk_miskin_ekstrem, core.persen(s.sasaran_kk, k.kk) AS persen_cakupan,
       CASE WHEN s.rollup = 7 THEN 1 WHEN s.rollup = 1 THEN 2 ELSE 0 END AS tingkat
FROM susun AS s
JOIN jenjang AS j ON j.kode_pemda = s.kode_pemda
LEFT JOIN ref.wilayah AS u ON u.kode = s.unit
LEFT JOIN ref.wilayah AS r ON r.kode = s.rinci
-- The households in need of the area a row names: the pemda (total), a wilayah, one desa, or none.
LEFT JOIN LATERAL (
    SELECT sum(kk_miskin_ekstrem) AS kk
    FROM kebutuhan AS n
    WHERE n.kode_pemda = s.kode_pemda
      AND starts_with(n.kode_desa || '.', CASE WHEN s.rollup = 7 THEN s.kode_pemda
                                             WHEN s.jenis <> 'wilayah' OR s.rinci = 'beberapa' THEN NULL
                                             WHEN s.rollup = 1 OR NOT s.dirinci THEN s.unit
                                             ELSE s.rinci END || '.')
) AS k ON TRUE
-- Keep a wilayah's subtotal only when it is broken down, and its detail rows always.
WHERE s.rollup = 7 OR (s.rollup = 0) OR (s.rollup = 1 AND s.jenis = 'wilayah' AND s.dirinci)
ORDER BY s.kode_pemda, s.rollup = 7, list_position(['wilayah', 'beberapa', 'lintas'], s.jenis), s.unit,
         s.rollup DESC, s.rinci NULLS FIRST;
