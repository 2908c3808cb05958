-- Purpose: mart.run, the log of runs as readers need it: what each run was asked for, to find the files
-- it took in (letters and T6 name the rejected files of the runs of a quarter). A view of core.run.
-- Grain: one row per completed run.
CREATE OR REPLACE VIEW mart.run AS
SELECT run_id, started_at, tahun, triwulan, kode_pemda, files_new, files_deferred, rows_read, rows_accepted,
       rows_rejected
FROM core.run;
