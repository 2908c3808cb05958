"""Render a `Report` as the workbook and as a self-contained HTML page.

Renderers only format and lay out: every figure comes from the SQL layer (see `rekap.tables`).
Text typed by an OPD is never trusted: the workbook stores it as plain strings (never formulas)
and the HTML page escapes it, including inside the SVG charts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from rekap.settings import TEMPLATES_DIR
from rekap.tables import NUMERIC_KINDS, ColumnKind, Report, ReportTable

HTML_TEMPLATE = "laporan.html.j2"

LAPORAN_TITLE = "Laporan Realisasi Anggaran Penghapusan Kemiskinan Ekstrem"

SEN = Decimal("0.01")
ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}
BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

SATUAN_BESAR = ((Decimal(10) ** 12, "triliun"), (Decimal(10) ** 9, "miliar"), (Decimal(10) ** 6, "juta"))

SHEET_NAME_MAX = 31  # Excel's limit
COLUMN_WIDTH_MAX = 60  # characters; longer text wraps
COLUMN_WIDTH_MIN = 6
FIRST_DATA_ROW = 3  # row 0 title, row 1 identity and note, row 2 header

# A small, sober palette shared by the workbook and the page (the page repeats it in its CSS).
INK = "#1F2933"
NAVY = "#1F4E79"
MUTED = "#52606D"
GRID = "#A6B1BD"
HEADER_FILL = "#DCE3ED"
LEVEL_FILLS = {1: "#DCE3ED", 2: "#E9EEF4", 3: "#F3F6F9"}  # deeper subtotals: lighter
DEEPEST_FILL = "#F8FAFB"


# ---------------------------------------------------------------------------------------------
# Formatting as Indonesians read numbers: dot for thousands, comma for decimals.


def _to_decimal(value: Decimal | int) -> Decimal:
    """The exact value of a figure; floats are refused because money must stay exact."""
    if type(value) is Decimal:  # the usual case (a DECIMAL column), checked first: a report has thousands
        if value.is_finite():
            return value
        raise ValueError(f"not a finite number: {value!r}")
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"expected Decimal or int, got {type(value).__name__}: {value!r}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _id_number(value: Decimal, places: int) -> str:
    """`value` (already rounded, not negative) with `places` decimals in Indonesian notation."""
    text = format(value, f",.{places}f")
    # Swap the separators ("1,234.50" -> "1.234,50"); three replaces are several times faster than
    # str.translate, and a report formats tens of thousands of numbers.
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _signed(value: Decimal, places: int) -> str:
    text = _id_number(abs(value), places)
    return f"-{text}" if value < 0 else text


def _places(value: Decimal, most: int) -> int:
    """How many decimals `value` needs, at most `most` (0 for a whole number)."""
    if value == value.to_integral_value():  # most figures are whole: skip the slower digit tuple
        return 0
    exponent = value.normalize().as_tuple().exponent
    return min(max(-exponent, 0), most) if isinstance(exponent, int) else 0


# Decimal("1"), Decimal("0.1"), ... Decimal("0.0001"): the step `format_angka` rounds to, by decimals.
_STEPS = tuple(Decimal(1).scaleb(-places) for places in range(5))


def format_rupiah(value: Decimal | int) -> str:
    """Rupiah as "1.250.000.000", or "1.250.000,50" when there are sen; negative with a minus."""
    amount = _to_decimal(value).quantize(SEN, rounding=ROUND_HALF_UP)
    return _signed(amount, 0 if amount == amount.to_integral_value() else 2)


def format_persen(value: Decimal | int) -> str:
    """A percentage with two decimals, "45,10" (the % sign belongs to the header)."""
    return _signed(_to_decimal(value).quantize(SEN, rounding=ROUND_HALF_UP), 2)


def format_angka(value: Decimal | int) -> str:
    """A count or volume: "1.234", and "2,75" if it is not whole."""
    if type(value) is int:  # a count: no rounding to do
        text = format(abs(value), ",d").replace(",", ".")
        return f"-{text}" if value < 0 else text
    number = _to_decimal(value)
    places = _places(number, 4)
    return _signed(number.quantize(_STEPS[places], rounding=ROUND_HALF_UP), places)


def format_rupiah_singkat(value: Decimal | int) -> str:
    """Rupiah shortened for chart labels: "Rp1,25 miliar", "Rp500 juta", "Rp750.000"."""
    amount = _to_decimal(value)
    for base, word in SATUAN_BESAR:
        if abs(amount) >= base:
            scaled = (amount / base).quantize(SEN, rounding=ROUND_HALF_UP)
            return f"Rp{_signed(scaled, _places(scaled, 2))} {word}"
    return f"Rp{format_rupiah(amount)}"


# How each numeric kind is written for readers; every other kind is its text.
_FORMATTERS: dict[str, Callable[[Decimal | int], str]] = {
    "rupiah": format_rupiah,
    "persen": format_persen,
    "angka": format_angka,
}


def format_cell(value: Any, kind: ColumnKind) -> str:
    """The text a reader sees for one cell; empty for None."""
    if value is None:
        return ""
    formatter = _FORMATTERS.get(kind)
    return formatter(value) if formatter else str(value)


# ---------------------------------------------------------------------------------------------
# Identity of the report.


def triwulan_romawi(triwulan: int) -> str:
    """Quarter 1..4 as the Roman numeral used in reports ("III")."""
    if triwulan not in ROMAWI:
        raise ValueError(f"triwulan must be 1..4, got {triwulan!r}")
    return ROMAWI[triwulan]


def akhir_triwulan(tahun: int, triwulan: int) -> date:
    """Last day of the quarter (the fiscal year is the calendar year)."""
    triwulan_romawi(triwulan)
    first_of_next = date(tahun + 1, 1, 1) if triwulan == 4 else date(tahun, 3 * triwulan + 1, 1)
    return first_of_next - timedelta(days=1)


def report_identity(report: Report) -> str:
    """The identity line of the report, e.g. "Kabupaten Lebak (36.02) - Tahun 2024 - Triwulan III"."""
    romawi = triwulan_romawi(report.triwulan)
    return f"{report.nama_pemda} ({report.kode_pemda}) - Tahun {report.tahun} - Triwulan {romawi}"


def report_timestamp(report: Report) -> datetime:
    """A fixed moment for file metadata, so that the same report gives the same bytes."""
    return datetime.combine(akhir_triwulan(report.tahun, report.triwulan), datetime.min.time())


def _tanggal_panjang(day: date) -> str:
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


# ---------------------------------------------------------------------------------------------
# Sheet names.

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


# ---------------------------------------------------------------------------------------------
# Checks shared by both renderers.


def _check_table(table: ReportTable) -> None:
    """Refuse a table whose shape does not match its columns: a silent shift would misplace money."""
    width = len(table.columns)
    for i, row in enumerate(table.rows):
        if len(row) != width:
            raise ValueError(f"{table.key}: row {i} has {len(row)} values for {width} columns")
    if table.levels and len(table.levels) != len(table.rows):
        raise ValueError(f"{table.key}: {len(table.levels)} levels for {len(table.rows)} rows")
    if table.row_kinds and len(table.row_kinds) != len(table.rows):
        raise ValueError(f"{table.key}: {len(table.row_kinds)} row kinds for {len(table.rows)} rows")


def _column_values(table: ReportTable, index: int) -> list[Any]:
    """The non-empty values of a column."""
    return [row[index] for row in table.rows if row[index] is not None]


def cell_texts(table: ReportTable) -> list[list[str]]:
    """Every cell of `table` as readers see it (`format_cell`), row by row."""
    return [
        [format_cell(value, kind) for value, kind in zip(row, kinds, strict=True)]
        for row, kinds in zip(table.rows, table.cell_kinds(), strict=True)
    ]


def output_path(folder: Path, name: str) -> Path:
    """`folder / name`, refusing a name that would put the file anywhere else (a separator, `..`, a
    leading dot, a control character): names are built from codes that may come from a submitted file."""
    if (
        not name
        or name.startswith(".")
        or any(c in name for c in "/\\")
        or any(ord(c) < 32 for c in name)
        or (folder / name).resolve().parent != folder.resolve()
    ):
        raise ValueError(f"nama berkas keluaran tidak sah: {name!r}")
    return folder / name


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Write through a temporary file beside `path`, so no reader sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


# ---------------------------------------------------------------------------------------------
# Workbook.


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


# ---------------------------------------------------------------------------------------------
# Charts: geometry computed here, drawn by the template (which escapes every label).

CHART_WIDTH = 480
LABEL_CHARS = 60  # longer labels are cut, the full text stays in the tooltip
VALUE_ROOM = 112  # room right of a bar for its value label


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    cls: str
    tooltip: str = ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    cls: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    cls: str = ""
    anchor: str = "start"


@dataclass
class Chart:
    """One SVG chart: a viewBox and the shapes in it."""

    key: str
    title: str
    description: str
    height: float
    width: float = CHART_WIDTH
    rects: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (css class, label)


def _r(value: float) -> float:
    return round(value, 1)


def _cut(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def _scale(values: Iterable[Decimal], at_least: Decimal = Decimal(0)) -> Decimal:
    top = max([at_least, *values])
    return top if top > 0 else Decimal(1)


def _length(value: Decimal, scale: Decimal, room: float) -> float:
    """Bar length for `value`; negative values (corrections) draw no bar, their label tells."""
    return _r(room * float(max(value, Decimal(0)) / scale))


def _hbar_chart(
    key: str,
    title: str,
    description: str,
    items: Sequence[tuple[str, Decimal, str]],
    scale: Decimal,
    track: Decimal | None = None,
) -> Chart:
    """Horizontal bars, each with its label above it so that long OPD names fit on a phone.

    `track`, when given, is drawn as a pale bar behind every bar up to that value (100 % for serapan).
    """
    room = CHART_WIDTH - 8 - VALUE_ROOM
    row, top = 40, 4
    chart = Chart(key, title, description, height=top + row * len(items) + 4)
    for i, (label, value, value_text) in enumerate(items):
        y = top + i * row
        tooltip = f"{label}: {value_text}"
        chart.texts.append(Text(4, y + 14, _cut(label), "lbl"))
        if track is not None:
            chart.rects.append(Rect(4, y + 20, _length(track, scale, room), 12, "track", tooltip))
        length = _length(value, scale, room)
        chart.rects.append(Rect(4, y + 20, length, 12, "bar", tooltip))
        chart.texts.append(Text(_r(4 + length + 6), y + 30, value_text, "val"))
    return chart


def _chart_serapan_opd(rows: Sequence[tuple[Any, ...]], triwulan: str) -> Chart:
    data = [(str(nama), _to_decimal(persen)) for nama, persen in rows]
    data.sort(key=lambda item: (-item[1], item[0]))  # ranked, so the laggards stand out
    return _hbar_chart(
        "serapan_opd",
        "Serapan anggaran per OPD",
        f"Realisasi kumulatif s.d. triwulan {triwulan} dibanding pagu; latar abu-abu sampai 100%.",
        [(nama, v, f"{format_persen(v)}%") for nama, v in data],
        _scale((v for _, v in data), at_least=Decimal(100)),
        track=Decimal(100),
    )


def _chart_lokasi(rows: Sequence[tuple[Any, ...]], triwulan: str) -> Chart:
    data = [(str(nama), _to_decimal(realisasi)) for nama, realisasi in rows]
    data.sort(key=lambda item: (-item[1], item[0]))
    return _hbar_chart(
        "lokasi",
        "Realisasi per lokasi",
        f"Realisasi kumulatif s.d. triwulan {triwulan}: sepuluh wilayah terbesar, dari baris yang lokasinya "
        "satu wilayah (lihat T5).",
        [(nama, v, format_rupiah_singkat(v)) for nama, v in data],
        _scale(v for _, v in data),
    )


def _chart_strategi(rows: Sequence[tuple[Any, ...]], triwulan: str) -> Chart:
    data = [(str(label), _to_decimal(pagu), _to_decimal(real)) for label, pagu, real in rows]
    scale = _scale(v for _, pagu, real in data for v in (pagu, real))
    room = CHART_WIDTH - 8 - VALUE_ROOM
    row, top = 64, 4
    chart = Chart(
        "strategi",
        "Pagu dan realisasi per strategi",
        f"Tiga strategi Inpres 4/2022; realisasi kumulatif s.d. triwulan {triwulan}.",
        height=top + row * len(data),
        legend=[("bar-pagu", "Pagu"), ("bar", "Realisasi kumulatif")],
    )
    for i, (label, pagu, real) in enumerate(data):
        y = top + i * row
        chart.texts.append(Text(4, y + 14, _cut(label), "lbl"))
        for offset, value, cls, name in ((20, pagu, "bar-pagu", "Pagu"), (36, real, "bar", "Realisasi")):
            length = _length(value, scale, room)
            text = format_rupiah_singkat(value)
            chart.rects.append(Rect(4, y + offset, length, 13, cls, f"{label} - {name}: {text}"))
            chart.texts.append(Text(_r(4 + length + 6), y + offset + 11, text, "val"))
    return chart


def _chart_triwulan(rows: Sequence[tuple[Any, ...]], triwulan: str) -> Chart:
    values = {int(q): _to_decimal(v) for q, v in rows}
    slots = sorted(set(ROMAWI) | set(values))
    scale = _scale(values.values())
    height, base, plot_top = 230, 196, 28
    chart = Chart(
        "triwulan",
        "Realisasi per triwulan",
        f"Realisasi dalam masing-masing triwulan, tahun berjalan s.d. triwulan {triwulan}.",
        height=height,
    )
    slot = (CHART_WIDTH - 16) / len(slots)
    chart.lines.append(Line(8, base, CHART_WIDTH - 8, base, "axis"))
    for i, q in enumerate(slots):
        centre = _r(8 + slot * (i + 0.5))
        chart.texts.append(Text(centre, base + 20, f"TW {ROMAWI.get(q, q)}", "lbl", "middle"))
        if q not in values:
            continue
        value = values[q]
        length = _length(value, scale, base - plot_top)
        text = format_rupiah_singkat(value)
        width = _r(min(slot * 0.6, 72))
        tooltip = f"TW {ROMAWI.get(q, q)}: {text}"
        chart.rects.append(Rect(_r(centre - width / 2), _r(base - length), width, length, "bar", tooltip))
        chart.texts.append(Text(centre, _r(base - length - 6), text, "val", "middle"))
    return chart


# Drawn in this order, when the report carries the data.
CHARTS: dict[str, Callable[[Sequence[tuple[Any, ...]], str], Chart]] = {
    "strategi": _chart_strategi,
    "triwulan": _chart_triwulan,
    "serapan_opd": _chart_serapan_opd,
    "lokasi": _chart_lokasi,
}


def build_charts(report: Report) -> list[Chart]:
    """The charts this report has data for; unknown keys in `report.charts` are ignored."""
    romawi = triwulan_romawi(report.triwulan)
    return [build(report.charts[key], romawi) for key, build in CHARTS.items() if report.charts.get(key)]


# ---------------------------------------------------------------------------------------------
# HTML page.


@dataclass(frozen=True)
class HtmlTable:
    """A table as the template shows it: every cell already formatted."""

    anchor: str
    title: str
    note: str
    headers: list[tuple[str, str]]  # (label, css class)
    rows: list[tuple[int, list[tuple[str, str]]]]  # (level, [(text, css class)])


# A text cell holding a word longer than this (no space to wrap at) may break anywhere: an unbroken run of
# characters, up to the cell limit, would otherwise make its column as wide as the whole run.
WORD_CHARS_MAX = 100


def _css_class(table: ReportTable, index: int) -> str:
    column = table.columns[index]
    if column.kind in NUMERIC_KINDS:
        return "num"
    longest = max((len(str(v)) for v in _column_values(table, index)), default=0)
    return "teks lebar" if longest > 40 else "teks"


def _cell_class(text: str, css_class: str) -> str:
    """The class of a text cell: its column's, and `panjang` when it has a word it must break inside."""
    if len(text) > WORD_CHARS_MAX and max(map(len, text.split()), default=0) > WORD_CHARS_MAX:
        return f"{css_class} panjang"
    return css_class


def _html_table(table: ReportTable) -> HtmlTable:
    classes = [_css_class(table, i) for i in range(len(table.columns))]
    rows = [
        (min(table.level(r), 4), [(text, _cell_class(text, cls) if len(text) > WORD_CHARS_MAX else cls)
                                  for text, cls in zip(texts, classes, strict=True)])
        for r, texts in enumerate(cell_texts(table))
    ]  # fmt: skip
    return HtmlTable(
        anchor=re.sub(r"[^a-z0-9_-]+", "-", table.key.lower()),
        title=table.title,
        note=table.note,
        headers=[(c.label, cls) for c, cls in zip(table.columns, classes, strict=True)],
        rows=rows,
    )


@cache
def template_environment() -> jinja2.Environment:
    """The Jinja environment of every page rekap writes: templates/, autoescaped, strict."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html_text(report: Report) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no script, no network)."""
    for table in report.tables:
        _check_table(table)
    template = template_environment().get_template(HTML_TEMPLATE)
    return template.render(
        judul=LAPORAN_TITLE,
        identitas=report_identity(report),
        nama_pemda=report.nama_pemda,
        kode_pemda=report.kode_pemda,
        tahun=report.tahun,
        triwulan=triwulan_romawi(report.triwulan),
        keadaan=_tanggal_panjang(akhir_triwulan(report.tahun, report.triwulan)),
        tables=[_html_table(t) for t in report.tables],
        charts=build_charts(report),
    )


def render_html(report: Report, path: Path) -> Path:
    """Write the report as a self-contained HTML page and return `path`."""
    html = render_html_text(report)

    def write(target: Path) -> None:
        with open(target, "w", encoding="utf-8", newline="\n") as out:
            out.write(html)

    return write_atomically(path, write)
