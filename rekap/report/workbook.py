"""The report as a workbook: one sheet per table, numbers as numbers in Rupiah format, text inert."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from rekap.contract.format import _places, _to_decimal
from rekap.contract.tables import NUMERIC_KINDS, ColumnKind, Report, ReportTable
from rekap.files import write_atomically
from rekap.report.common import (
    DEEPEST_FILL,
    GRID,
    HEADER_FILL,
    INK,
    LAPORAN_TITLE,
    LEVEL_FILLS,
    MUTED,
    NAVY,
    _check_table,
    cell_texts,
    report_identity,
    report_timestamp,
)

SHEET_NAME_MAX = 31  # Excel's limit


COLUMN_WIDTH_MAX = 60  # characters; longer text wraps


COLUMN_WIDTH_MIN = 6


FIRST_DATA_ROW = 3  # row 0 title, row 1 identity and note, row 2 header


_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str) -> str:
    """Short sheet name from a table title: "T1 Rekap per Strategi" -> "T1 Strategi".

    Drops a parenthesised part, the words "Rekap per" and everything from the first " dan ";
    removes the characters Excel forbids and keeps at most 31 characters.
    """
    name = re.sub(r"\([^)]*\)", " ", title)
    name = re.sub(r"\brekap\s+per\b", " ", name, flags=re.IGNORECASE)
    head = re.split(r"\s+dan\s+", name, maxsplit=1, flags=re.IGNORECASE)[0]
    name = head if head.strip() else name
    name = " ".join(_INVALID_SHEET_CHARS.sub(" ", name).split())
    return name[:SHEET_NAME_MAX].strip().strip("'").strip() or "Tabel"


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Sheet names for these titles, in order, unique regardless of case (as Excel requires)."""
    names: list[str] = []
    taken: set[str] = {"history"}  # reserved by Excel
    for title in titles:
        base = sheet_name(title)
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _excel_number(value: Decimal | int) -> int | float:
    """The cell value: exact int when whole; a float (Excel's only number type) otherwise."""
    if type(value) is int:  # a count
        return value
    number = _to_decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)


def _number_format(values: list[Any], kind: ColumnKind) -> str | None:
    """Excel number format of the cells of one column formatted as `kind`, whose values are `values`."""
    numbers = [_to_decimal(v) for v in values] if kind in NUMERIC_KINDS else []
    if kind == "rupiah":
        return "#,##0.00" if any(v != v.to_integral_value() for v in numbers) else "#,##0"
    if kind == "persen":
        return "0.00"
    if kind == "angka":
        places = max((_places(v, 4) for v in numbers), default=0)
        return "#,##0" + ("." + "0" * places if places else "")
    return None


@dataclass(frozen=True)
class _SheetColumn:
    """How one column of a sheet is laid out."""

    width: int  # in characters
    wrap: bool  # long text wraps
    number_formats: dict[ColumnKind, str | None]  # Excel number format of the cells of each kind


def _sheet_column(table: ReportTable, index: int, kinds: list[ColumnKind], texts: list[str]) -> _SheetColumn:
    """The layout of column `index`, whose cells are formatted as `kinds` and read as `texts`."""
    column = table.columns[index]
    # Width: the longest cell as readers see it, and the longest word of the wrapped header.
    header = max((len(word) for word in column.label.split()), default=0)
    width = min(max([*map(len, texts), header, COLUMN_WIDTH_MIN - 2]) + 2, COLUMN_WIDTH_MAX)
    values = [row[index] for row in table.rows]
    cells = [(value, kind) for value, kind in zip(values, kinds, strict=True) if value is not None]
    number_formats = {
        kind: _number_format([value for value, k in cells if k == kind], kind) for kind in set(kinds)
    }
    return _SheetColumn(width, column.kind not in NUMERIC_KINDS and width >= COLUMN_WIDTH_MAX, number_formats)


def _footer_text(text: str, most: int = 100) -> str:
    """Text for an Excel header/footer, where "&" starts a control code: each "&" doubled, at most `most`
    characters, never cut between the two of a pair."""
    escaped = text.replace("&", "&&")[:most]
    if (len(escaped) - len(escaped.rstrip("&"))) % 2:
        escaped = escaped[:-1]
    return escaped


class _Styles:
    """The workbook's cell formats, created once per combination."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self._workbook = workbook
        self._cells: dict[tuple[str | None, int, bool], Format] = {}
        base = {"font_name": "Calibri", "font_size": 10}
        self.title = workbook.add_format({**base, "bold": True, "font_size": 14, "font_color": NAVY})
        self.subtitle = workbook.add_format({**base, "italic": True, "font_color": MUTED})
        self.empty = workbook.add_format({**base, "italic": True, "font_color": MUTED})
        self.header = workbook.add_format(
            {
                **base,
                "bold": True,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
                "bg_color": HEADER_FILL,
                "border": 1,
                "border_color": GRID,
            }
        )
        self._base = base

    def cell(self, num_format: str | None, level: int, wrap: bool) -> Format:
        """Format of a body cell: number format, subtotal level (0 = detail) and wrapping."""
        key = (num_format, min(level, 4), wrap)
        if key not in self._cells:
            props: dict[str, Any] = {**self._base, "valign": "top", "border": 1, "border_color": GRID}
            if num_format:
                props["num_format"] = num_format
            if wrap:
                props["text_wrap"] = True
            if level >= 1:
                props["bold"] = True
                props["bg_color"] = LEVEL_FILLS.get(level, DEEPEST_FILL)
            if level == 1:  # grand total
                props["top"] = 2
                props["top_color"] = INK
            self._cells[key] = self._workbook.add_format(props)
        return self._cells[key]


def _write_sheet(sheet: Worksheet, table: ReportTable, identity: str, styles: _Styles) -> None:
    columns = table.columns
    sheet.set_row(0, 20)
    sheet.write_string(0, 0, table.title, styles.title)
    sheet.write_string(1, 0, f"{identity} - {table.note}" if table.note else identity, styles.subtitle)

    header_row = FIRST_DATA_ROW - 1
    kinds = table.cell_kinds()
    texts = cell_texts(table)
    layout = [
        _sheet_column(table, i, [row[i] for row in kinds], [row[i] for row in texts])
        for i in range(len(columns))
    ]
    for i, column in enumerate(columns):
        sheet.set_column(i, i, layout[i].width)
        sheet.write_string(header_row, i, column.label, styles.header)

    # The cells of a row take their format from their column, the row's subtotal level and the row's
    # kind (T0 mixes Rupiah, percentages and counts in one column): each combination is looked up once
    # and serves every row that has it, instead of once per cell.
    row_formats: dict[tuple[int, ColumnKind | None], list[tuple[Format, bool]]] = {}
    for r, row in enumerate(table.rows):
        level = table.level(r)
        key = (level, table.row_kinds[r] if table.row_kinds else None)
        if key not in row_formats:
            row_formats[key] = [
                (styles.cell(spec.number_formats[kind], level, spec.wrap), kind in NUMERIC_KINDS)
                for spec, kind in zip(layout, kinds[r], strict=True)
            ]
        at = FIRST_DATA_ROW + r
        for c, (value, (fmt, numeric)) in enumerate(zip(row, row_formats[key], strict=True)):
            if value is None:
                sheet.write_blank(at, c, None, fmt)
            elif numeric:
                sheet.write_number(at, c, _excel_number(value), fmt)
            else:
                # Always a string: OPD text such as "=HYPERLINK(...)" or "+1" must stay inert.
                sheet.write_string(at, c, str(value), fmt)
    if not table.rows:
        sheet.write_string(FIRST_DATA_ROW, 0, "Tidak ada data.", styles.empty)

    sheet.freeze_panes(FIRST_DATA_ROW, 0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    sheet.repeat_rows(header_row)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_header(f"&L{_footer_text(table.title)}&R{_footer_text(identity)}")
    sheet.set_footer("&RHalaman &P dari &N")


def render_workbook(report: Report, path: Path) -> Path:
    """Write the report as an .xlsx workbook, one sheet per table, and return `path`."""
    for table in report.tables:
        _check_table(table)
    identity = report_identity(report)

    def write(target: Path) -> None:
        # Belt and braces: even `write()` would not turn strings into formulas, numbers or links.
        options = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
        workbook = xlsxwriter.Workbook(str(target), options)
        workbook.set_properties(
            {
                "title": f"{LAPORAN_TITLE} - {identity}",
                "subject": "Rekap realisasi anggaran kemiskinan ekstrem (KE) per triwulan",
                "author": "rekap-ke",
                "created": report_timestamp(report),
            }
        )
        styles = _Styles(workbook)
        names = sheet_names(t.title for t in report.tables)
        for table, name in zip(report.tables, names, strict=True):
            _write_sheet(workbook.add_worksheet(name), table, identity, styles)
        workbook.close()

    return write_atomically(path, write)
