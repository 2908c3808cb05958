"""Whatever an OPD types in any cell, `read_submission` and `validate_files` return findings and never
raise: generated values (any text, control characters and line breaks included, numbers of any size,
NaN and infinities, dates, booleans) in every identity field and data cell, as xlsx and as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rekap.contract.rules import RULES
from rekap.reading.reader import read_submission
from rekap.validation.validate import validate_files
from tests.corpus import CSV_IDENTITY, HEADER, IDENTITY_LABELS, base_identity

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NUMBER_TEXT = st.from_regex(r"\A[-+(]?(Rp\.? ?)?[0-9.,]{0,28}(E[+-]?[0-9]{1,4})?\)?\Z")
VALUE = st.one_of(
    st.none(),
    TEXT,
    NUMBER_TEXT,
    st.sampled_from(["NaN", "Infinity", "-inf", "1E+300", "9" * 23, "JUMLAH", "Sub Total", "\n", "\x00"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
)
ROWS = st.lists(st.lists(VALUE, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=4)
IDENTITY = st.fixed_dictionaries(
    {name: st.one_of(st.just(value), VALUE) for name, value in base_identity().items()}
)


def _write(ws, r: int, c: int, value: object, date_format) -> None:
    """Every value as what it is: never a formula, never a URL."""
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, date_format)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value)
    else:
        ws.write_string(r, c, value)


def xlsx_file(folder: Path, identity: dict, rows: list[list]) -> Path:
    path = folder / "acak_TW3.xlsx"
    wb = xlsxwriter.Workbook(path, {"nan_inf_to_errors": True})
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("Identitas")
    for r, (name, label) in enumerate(IDENTITY_LABELS.items()):
        ws.write_string(r, 0, label)
        _write(ws, r, 1, identity.get(name), date_format)
    ws = wb.add_worksheet("Realisasi")
    ws.write_row(0, 0, HEADER)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            _write(ws, r, c, value, date_format)
    wb.close()
    return path


def csv_file(folder: Path, identity: dict, rows: list[list]) -> Path:
    path = folder / "acak_TW3.csv"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*CSV_IDENTITY, *HEADER[1:]])
    for row in rows:
        writer.writerow(
            ["" if v is None else v for v in [*(identity.get(k) for k in CSV_IDENTITY), *row[1:]]]
        )
    path.write_text(out.getvalue(), encoding="utf-8", errors="surrogatepass")
    return path


SUBMISSIONS = st.lists(st.tuples(IDENTITY, ROWS), min_size=1, max_size=3)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(submissions=SUBMISSIONS)
def test_any_cell_values_give_findings_never_an_exception(submissions: list[tuple[dict, list[list]]]) -> None:
    """Each submission as xlsx and as CSV; all validated together, as a run does."""
    with tempfile.TemporaryDirectory() as tmp:
        parsed = []
        for i, (identity, rows) in enumerate(submissions):
            for write in (xlsx_file, csv_file):
                folder = Path(tmp) / f"{i}-{write.__name__}"
                folder.mkdir()
                parsed.append(read_submission(write(folder, identity, rows)))
        unique = list({p.file_hash: p for p in parsed}.values())
        _, rows_frame, findings = validate_files(unique, "36.02")
    assert set(findings["aturan"]) <= set(RULES)
    assert len(rows_frame) == sum(len(p.rows) for p in unique if p.readable)
    for p in unique:
        listed = [r["_baris"] for r in p.rows] + [s.baris for s in p.skipped]
        assert len(listed) == len(set(listed)), "a row is data or listed, not both"
