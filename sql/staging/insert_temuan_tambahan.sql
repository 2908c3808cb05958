-- Purpose: add the findings of the SQL rules of one quarter (sql/checks/, located in Python and registered
-- as extra_findings) to the run's staged findings, before the quarter's submissions are recorded.
-- Grain: one row per finding.
INSERT INTO staging.temuan BY NAME
SELECT * FROM extra_findings;
