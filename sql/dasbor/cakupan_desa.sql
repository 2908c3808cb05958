-- Purpose: the Lokasi page's coverage per desa of pemda $kode_pemda in tahun $tahun, triwulan $triwulan:
-- the KE households in need (mart.sasaran_desa, `rekap sasaran`) beside the sasaran KK, pagu and cumulative
-- realization of the rows placed in that desa alone, as T5 counts its desa rows (core.wilayah), and the
-- coverage; a desa in need that no row reaches is listed too.
-- Grain: one row per desa with households in need or with a row placed in it alone.
WITH jenjang AS (
    SELECT len(string_split($kode_pemda, '.')) + 1 AS segmen
),

baris AS (
    SELECT r.pagu, r.realisasi_kumulatif, r.sasaran_kk, core.wilayah(r.lokasi, j.segmen) AS w
    FROM mart.realisasi_rinci AS r, jenjang AS j
    WHERE r.kode_pemda = $kode_pemda AND r.tahun = $tahun AND r.triwulan = $triwulan
),

dijangkau AS (
    SELECT w.rinci AS kode_desa, sum(pagu) AS pagu, sum(realisasi_kumulatif) AS realisasi_kumulatif,
           coalesce(sum(sasaran_kk), 0) AS sasaran_kk
    FROM baris
    WHERE w.jenis = 'wilayah' AND len(string_split(w.rinci, '.')) = 4
    GROUP BY w.rinci
),

kebutuhan AS (
    SELECT kode_desa, kk_miskin_ekstrem
    FROM mart.sasaran_desa
    WHERE tahun = $tahun AND starts_with(kode_desa, $kode_pemda || '.')
)

SELECT d.kode_desa,
       coalesce(w.nama_lengkap, 'Desa/kelurahan ' || d.kode_desa) AS desa,
       coalesce(k.nama_lengkap, 'Kecamatan ' || array_to_string(string_split(d.kode_desa, '.')[1:3], '.'))
           AS kecamatan,
       n.kk_miskin_ekstrem, coalesce(j.sasaran_kk, 0) AS sasaran_kk,
       core.persen(coalesce(j.sasaran_kk, 0), n.kk_miskin_ekstrem) AS persen_cakupan,
       j.pagu, j.realisasi_kumulatif,
       0 AS tingkat
FROM (
    SELECT kode_desa FROM kebutuhan
    UNION
    SELECT kode_desa FROM dijangkau
) AS d
LEFT JOIN kebutuhan AS n USING (kode_desa)
LEFT JOIN dijangkau AS j USING (kode_desa)
LEFT JOIN ref.wilayah AS w ON w.kode = d.kode_desa
LEFT JOIN ref.wilayah AS k ON k.kode = array_to_string(string_split(d.kode_desa, '.')[1:3], '.')
ORDER BY d.kode_desa;
