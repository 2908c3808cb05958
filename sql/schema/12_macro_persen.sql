-- Purpose: exact percentage to two decimals (round half up) of two DECIMAL(18,2) amounts, in integer
-- arithmetic: DuckDB's decimal division returns DOUBLE, which money figures must not pass through.
-- NULL when the base is not positive.
CREATE OR REPLACE MACRO core.persen(bagian, basis) AS
    CASE WHEN basis > 0 THEN
        ((round(bagian * 100)::HUGEINT * 20000 + round(basis * 100)::HUGEINT)
         // (2 * round(basis * 100)::HUGEINT))::DECIMAL(18, 0) * 0.01
    END;
