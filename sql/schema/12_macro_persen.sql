-- Purpose: exact percentage to two decimals (round half up) of two DECIMAL(18,2) amounts, in integer
-- arithmetic: DuckDB's decimal division returns DOUBLE, which money figures must not pass through.
-- NULL when the base is not positive.
-- The amounts are widened first: a sum of DECIMAL(18,2) amounts times 100 need not fit 18 digits.
CREATE OR REPLACE MACRO core.persen(bagian, basis) AS
    CASE WHEN basis > 0 THEN
        ((round(bagian::DECIMAL(38, 2) * 100)::HUGEINT * 20000 + round(basis::DECIMAL(38, 2) * 100)::HUGEINT)
         // (2 * round(basis::DECIMAL(38, 2) * 100)::HUGEINT))::DECIMAL(38, 0) * 0.01
    END;
