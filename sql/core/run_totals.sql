-- Purpose: totals of one run. Grain: one row.
SELECT count(*) FILTER (WHERE lolos), count(*) FILTER (WHERE NOT lolos),
       coalesce(sum(rows_read), 0), coalesce(sum(rows_accepted), 0), coalesce(sum(rows_rejected), 0)
FROM core.submission
WHERE run_id = $run_id;
