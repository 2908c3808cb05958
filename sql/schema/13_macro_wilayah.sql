-- Purpose: where a row's lokasi points, for T5 Lokasi and the lokasi chart, so that a row is counted once.
-- `segmen` is the number of code segments of the wilayah directly below the pemda (3 for a kab/kota, whose
-- kecamatan are `36.02.01`; 2 for a province, whose kab/kota are `36.02`). Returns a struct:
--   jenis 'lintas'   : lokasi empty or SEMUA (lintas wilayah / tidak disebut);
--   jenis 'beberapa' : codes in more than one wilayah (counted once, under "beberapa wilayah");
--   jenis 'wilayah'  : every code inside one wilayah `unit`; `rinci` is the one finer code given (a desa),
--                      'beberapa' for several finer codes, NULL when the wilayah itself is named.
-- Grain: a scalar per row.
CREATE OR REPLACE MACRO core.wilayah(lokasi, segmen) AS (
    SELECT CASE
               WHEN len(kode) = 0 OR list_contains(kode, 'SEMUA')
                   THEN {'jenis': 'lintas', 'unit': NULL::VARCHAR, 'rinci': NULL::VARCHAR}
               WHEN len(unit) > 1 THEN {'jenis': 'beberapa', 'unit': NULL::VARCHAR, 'rinci': NULL::VARCHAR}
               ELSE {'jenis': 'wilayah', 'unit': unit[1],
                     'rinci': CASE WHEN list_contains(kode, unit[1]) THEN NULL
                                   WHEN len(kode) = 1 THEN kode[1] ELSE 'beberapa' END}
           END
    FROM (
        SELECT kode,
               list_distinct(list_transform(kode, LAMBDA k: array_to_string(string_split(k, '.')[1:segmen], '.')))
                   AS unit
        FROM (
            SELECT list_distinct(list_filter(
                       list_transform(string_split(upper(coalesce(lokasi, '')), ';'), LAMBDA k: trim(k)),
                       LAMBDA k: k <> '')) AS kode
        ) AS lokasi_kode
    ) AS lokasi_unit
);
