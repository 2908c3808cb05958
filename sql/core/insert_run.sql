-- Purpose: log a finished run with its row accounting. Grain: one row per run.
INSERT INTO core.run (
    run_id, started_at, tahun, triwulan, kode_pemda, files_new, files_deferred, rows_read, rows_accepted,
    rows_rejected
)
SELECT $run_id, coalesce(min(received_at), now()::TIMESTAMP), $tahun, $triwulan, $kode_pemda, $files_new,
       $files_deferred, coalesce(sum(rows_read), 0), coalesce(sum(rows_accepted), 0),
       coalesce(sum(rows_rejected), 0)
FROM core.submission
WHERE run_id = $run_id;
