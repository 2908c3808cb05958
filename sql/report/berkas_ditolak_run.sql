-- Purpose: the files one run rejected, with the OPD they name and their first three errors, for the
-- steward's log and the run's notification. Grain: one row per rejected file of run $run_id.
WITH kesalahan AS (
    SELECT file_hash,
           coalesce(sheet || ' ', '') || coalesce(kolom, '') || coalesce(baris::VARCHAR, '')
           || CASE WHEN sheet IS NOT NULL OR baris IS NOT NULL THEN ': ' ELSE '' END
           || pesan || coalesce(' [' || nilai || ']', '') AS uraian,
           row_number() OVER (PARTITION BY file_hash ORDER BY baris NULLS FIRST, kolom, aturan) AS urut
    FROM core.validation_issue
    WHERE tingkat = 'error'
)
SELECT s.nama_berkas, s.kode_skpd, s.nama_skpd, s.triwulan, s.jumlah_error,
       string_agg(k.uraian, '; ' ORDER BY k.urut) FILTER (WHERE k.urut <= 3) AS kesalahan_utama
FROM core.submission AS s
LEFT JOIN kesalahan AS k USING (file_hash)
WHERE s.run_id = $run_id AND NOT s.lolos
GROUP BY ALL
ORDER BY s.nama_berkas;
