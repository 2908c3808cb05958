-- Purpose: mart.temuan, every problem found in a submission, located as Excel shows it, as the letters
-- quote it to the OPD. A view of core.validation_issue.
-- Grain: one row per finding (file, sheet, row, column, rule).
CREATE OR REPLACE VIEW mart.temuan AS
SELECT file_hash, sheet, baris, kolom, nama_kolom, nilai, aturan, tingkat, pesan, cara_memperbaiki
FROM core.validation_issue;
