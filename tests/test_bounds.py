"""The bounds the reader checks before building anything: `rekap.reading.scan` on worksheet XML as writers
produce it (and as they should not), and the limits of `Limits`, each overridable by its `REKAP_MAX_*`
variable, rejecting a file at the cell that exceeds them."""

from __future__ import annotations

import re

import pytest

from rekap.reading import scan as xlsx_scan
from rekap.reading import table as reading
from rekap.reading.reader import read_submission
from rekap.settings import Limits
from tests.corpus import base_submission, csv_text, write_bytes, write_xlsx


def _sheet(cells: str, prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    namespace = f' xmlns:{prefix}="main"' if prefix else ""
    return f"<worksheet{namespace}><{p}sheetData>{cells}</{p}sheetData></worksheet>".encode()


def test_common_small_sheet_is_bounded_by_one_search() -> None:
    extent = xlsx_scan.sheet_extent(_sheet('<row r="1"><c r="A1"><v>1</v></c><c r="P9999" s="1"/></row>'))
    assert not extent.exact and extent.area == 26 * 9_999


@pytest.mark.parametrize(
    ("cells", "prefix", "widest", "deepest", "count"),
    [
        ('<row r="20000"><c r="XFD20000"><v>1</v></c></row>', "", (19999, 16383), (19999, 16383), 1),
        # formatted blanks hold no value: calamine skips them, and so does the extent
        ('<row r="3"><c r="B3"><v>1</v></c><c r="XFD3" s="4"/></row><row r="9"><c r="A9" s="4"/></row>', "",
         (2, 1), (2, 1), 1),
        # cells without a reference follow the one before them in their row, rows the row before
        ('<row r="5"><c r="C5"><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>', "",
         (4, 3), (5, 0), 3),
        ('<x:row r="7"><x:c r="AB7"><x:v>1</x:v></x:c></x:row>', "x", (6, 27), (6, 27), 1),
        ('<row r="2"><c s="3" r="K2" t="s"><v>0</v></c></row>', "", (1, 10), (1, 10), 1),
    ],
)  # fmt: skip
def test_walk_places_cells_as_calamine_does(cells, prefix, widest, deepest, count) -> None:
    extent = xlsx_scan.walk_cells(_sheet(cells, prefix), formulas=False)
    assert (extent.widest, extent.deepest, extent.cells, extent.exact) == (widest, deepest, count, True)
    assert extent.area == (deepest[0] + 1) * (widest[1] + 1)


def test_formula_scan_names_the_cell_that_holds_the_formula() -> None:
    # The old scan matched from the formatted blank G3 to the next `</c>` and reported G3.
    xml = (
        _sheet(
            '<row r="3"><c r="F3"><v>5</v></c><c r="G3" s="2"/><c r="H3"><f>F3/5</f></c>'
            '<c r="I3"><f>H3</f><v>1</v></c><c r="J3" t="str"><f>"a"</f><v></v></c></row>'
        )
        + b'<dataValidations><dataValidation><formula1>"a,b"</formula1></dataValidation></dataValidations>'
    )
    assert xlsx_scan.has_formula(xml)
    assert xlsx_scan.walk_cells(xml, formulas=True).formulas_without_value == [(2, 7), (2, 9)]
    assert xlsx_scan.formulas_without_value(xml) == [(2, 7), (2, 9)]
    # the same cells without their references, and in a namespace prefix: the walk over every cell
    unreferenced = re.sub(rb' r="[A-Z]+3"', b"", xml).replace(b'<c s="2"/>', b'<c r="G3" s="2"/>')
    assert xlsx_scan.formulas_without_value(unreferenced) == [(2, 7), (2, 9)]
    # a dropdown's <formula1> alone is no formula
    assert not xlsx_scan.has_formula(
        _sheet('<row r="1"><c r="A1"><v>1</v></c></row>') + b"<formula1>1</formula1>"
    )


def test_formula_scan_is_linear_in_formatted_blanks() -> None:
    row = "".join(f'<c r="{c}{{r}}" s="1"/>' for c in "ABCDEFGHIJKLMNOP")
    blanks = "".join(f'<row r="{r}">{row.format(r=r)}</row>' for r in range(2, 20_002))
    xml = _sheet('<row r="1"><c r="A1"><f>1+1</f></c></row>' + blanks)
    assert xlsx_scan.walk_cells(xml, formulas=True).formulas_without_value == [(0, 0)]
    assert xlsx_scan.formulas_without_value(xml) == [(0, 0)]


def test_a_reference_that_names_no_cell_is_reported() -> None:
    assert (
        xlsx_scan.walk_cells(_sheet('<row r="1"><c r="&#65;1"><v>1</v></c></row>'), False).bad_reference
        == "&#65;1"
    )


def test_shared_string_expansion_counts_each_use() -> None:
    shared = b"<sst><si><t>" + b"x" * 1_000 + b"</t></si><si><t>y</t></si></sst>"
    sheets = [
        _sheet("".join(f'<row r="{r}"><c r="A{r}" t="s"><v>{r % 2}</v></c></row>' for r in range(1, 401)))
    ]
    exact = xlsx_scan.shared_string_expansion(shared, sheets, budget=10_000)
    assert 200 * 1_000 <= exact < 200 * 1_100  # 200 uses of the long string (with its tags), 200 of "y"
    assert xlsx_scan.shared_string_expansion(shared, sheets, budget=10**9) <= 10**9


@pytest.mark.parametrize(
    ("variable", "field", "value"),
    [("REKAP_MAX_COLUMNS", "max_columns", 12), ("REKAP_MAX_CELLS", "max_cells", 40),
     ("REKAP_MAX_SHARED_STRING_CHARS", "max_shared_string_chars", 99),
     ("REKAP_MAX_MERGED_RANGES", "max_merged_ranges", 3)],
)  # fmt: skip
def test_each_new_limit_comes_from_its_environment_variable(monkeypatch, variable, field, value) -> None:
    monkeypatch.setenv(variable, str(value))
    assert getattr(Limits.from_env(), field) == value
    assert getattr(Limits(), field) != value


def test_lower_limits_reject_the_valid_base_at_the_cell_over_them(tmp_path) -> None:
    path = write_xlsx(base_submission(), tmp_path / "base_TW3.xlsx")
    assert read_submission(path).readable
    (problem,) = read_submission(path, limits=Limits(max_columns=12)).problems
    assert (problem.rule, problem.sheet, problem.row, problem.column) == ("F04", "Realisasi", 1, "P")
    (problem,) = read_submission(path, limits=Limits(max_cells=40)).problems
    assert problem.rule == "F04" and "sel" in problem.detail
    csv_path = write_bytes(tmp_path / "base_TW3.csv", csv_text(base_submission()).encode())
    (problem,) = read_submission(csv_path, limits=Limits(max_columns=12)).problems
    assert (problem.rule, problem.sheet, problem.row) == ("F04", "CSV", 1)


def test_no_module_state_grows_with_a_wide_row(tmp_path) -> None:
    text = csv_text(base_submission()) + "," * 100_000 + "\r\n"
    read_submission(write_bytes(tmp_path / "lebar_TW3.csv", text.encode()))
    assert isinstance(reading._POWERS, tuple) and len(reading._POWERS) == 256
    assert reading._mask([True] * 300 + [False]) == 2**300 - 1


def test_a_long_sheet_in_the_small_form_is_counted_before_it_is_rejected(tmp_path) -> None:
    # A megabyte of XML may hold a third of a million cell tags; this one holds the base's few cells.
    from tests.hostile import REALISASI_XML, _after_data, _patched, _xlsx

    padded = _patched(_xlsx(base_submission()), REALISASI_XML, lambda x: _after_data(x, b" " * 1_000_000))
    path = write_bytes(tmp_path / "panjang_TW3.xlsx", padded())
    parsed = read_submission(path, limits=Limits(max_cells=300_000, max_compression_ratio=10**6))
    assert parsed.readable and len(parsed.rows) == 3, parsed.problems
