"""The facts defined once in `rekap.contract` and the data files that must repeat them agree: the GX suites
(data, kept as JSON) and the strategy table of the marts."""

from __future__ import annotations

import json
import re

from rekap.contract.calendar import TAHUN_PERTAMA, TAHUN_TERAKHIR
from rekap.contract.codes import STRATEGI, SUMBER_DANA
from rekap.settings import EXPECTATIONS_DIR, SQL_DIR


def _kwargs(suite: str, kind: str, column: str) -> dict:
    suite_json = json.loads((EXPECTATIONS_DIR / f"{suite}.json").read_text(encoding="utf-8"))
    expectations = suite_json["expectations"]
    (found,) = [e["kwargs"] for e in expectations if e["type"] == kind and e["kwargs"]["column"] == column]
    return found


def test_the_suite_accepts_exactly_the_years_of_the_calendar() -> None:
    regex = re.compile(_kwargs("identitas", "expect_column_values_to_match_regex", "tahun")["regex"])
    accepted = [year for year in range(1900, 2200) if regex.search(str(year))]
    assert accepted == list(range(TAHUN_PERTAMA, TAHUN_TERAKHIR + 1))


def test_the_suite_accepts_exactly_the_strategies_and_sumber_dana_of_the_contract() -> None:
    in_set = "expect_column_values_to_be_in_set"
    assert _kwargs("realisasi", in_set, "strategi")["value_set"] == list(STRATEGI)
    assert _kwargs("realisasi", in_set, "sumber_dana")["value_set"] == list(SUMBER_DANA)


def test_the_strategy_mart_names_the_strategies_as_the_contract_does() -> None:
    sql = (SQL_DIR / "marts" / "rekap_strategi.sql").read_text(encoding="utf-8")
    rows = re.findall(r"\('([A-Z]{3})', '([^']+)', (\d)\)", sql)
    assert rows == [(code, nama, str(n)) for n, (code, nama) in enumerate(STRATEGI.items(), start=1)]
