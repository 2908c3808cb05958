"""Render a `Report` as a printable PDF (A4 landscape) for the signed cover letter.

Same content as the HTML page: the identity, every table with its header repeated on each page, and the
charts. Pure Python (reportlab, with the Bitstream Vera fonts it ships), so a pip install is enough.
Text typed by an OPD is escaped before it reaches reportlab's paragraph markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tables import CellStyle

from rekap.contract.calendar import _tanggal_panjang, akhir_triwulan, triwulan_romawi
from rekap.contract.tables import NUMERIC_KINDS, Report, ReportTable
from rekap.files import write_atomically
from rekap.report.charts import Chart, build_charts
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
)

FONT, FONT_BOLD = "RekapVera", "RekapVera-Bold"
_FONTS = Path(reportlab.__file__).resolve().parent / "fonts"

PAGE = landscape(A4)
MARGIN = 12 * mm
WIDTH = PAGE[0] - 2 * MARGIN
HEIGHT = PAGE[1] - 2 * MARGIN  # of the frame the story flows in
# A row of a table must fit one page beneath the table's header (reportlab cannot split a row), and a heading
# must fit with what follows it: longer text is cut there, with a note that the workbook has all of it. A
# cell shows a dozen lines at most, so that a table of long texts stays a readable printout.
CELL_HEIGHT_MAX = HEIGHT / 5
HEADING_HEIGHT_MAX = HEIGHT / 4
CLIPPED = "[dipotong; lengkap di .xlsx]"
NARROWEST = 0.166  # of the font size: Vera's narrowest glyph ("∕"), regular and bold
FONT_SIZES = (7.0, 6.5, 6.0)  # body text of a table, tried in order until its columns fit
PAD = 2.5  # cell padding, left and right, in points
VPAD = 1.5  # and above and below
TEXT_COLUMN_MAX = 170.0  # a text column wider than this wraps
WORD_MAX = 80.0  # a longer unbroken word (a list of lokasi codes) is split
KEY_COLUMNS = 2  # repeated in every part when a table is too wide for one page and is split
CHART_WIDTH_PT = 360.0
CHART_HEIGHT_MAX = 420.0
PALE, TRACK = "#9DB7D5", "#EDF1F5"  # as the page's CSS


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(_FONTS / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_FONTS / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _style(name: str, size: float, bold: bool = False, color: str = INK, **kw: Any) -> ParagraphStyle:
    _register_fonts()
    return ParagraphStyle(
        name,
        fontName=FONT_BOLD if bold else FONT,
        fontSize=size,
        leading=size * 1.22,
        textColor=colors.HexColor(color),
        **kw,
    )


def _text(value: str) -> str:
    """Text as reportlab paragraph markup: every character of OPD text stays literal."""
    return escape(value).replace("\n", "<br/>")


def _fitting(
    text: str, style: ParagraphStyle, width: float, most: float, kind: type[Paragraph] = Paragraph
) -> Paragraph:
    """A paragraph (of `kind`) of `text` in `style`, wrapped at `width`: the whole text when it is at most
    `most` points high, else as much of its start as fits followed by a note that it is cut (`CLIPPED`)."""
    shown = _visible(text, style, width, most)
    if shown is text:
        paragraph = kind(_text(text), style)
        if paragraph.wrap(width, PAGE[1])[1] <= most:
            return paragraph
    keep = len(shown)
    while True:
        paragraph = kind(
            f'{_text(shown[:keep].rstrip())}… <font color="{MUTED}">{_text(CLIPPED)}</font>', style
        )
        height = paragraph.wrap(width, PAGE[1])[1]
        if height <= most or keep == 0:
            return paragraph
        keep = min(keep - 1, int(keep * most / height * 0.9))  # in proportion, and a little less


def _visible(text: str, style: ParagraphStyle, width: float, most: float) -> str:
    """The start of `text` beyond which a paragraph `most` points high and `width` wide can show nothing (each
    line break starts a line; no line holds more characters than fit at the narrowest glyph's width), or
    `text` itself when that is all of it. Spares laying out text that would be cut anyway."""
    lines = int(most / style.leading) + 1
    end = -1
    for _ in range(lines):
        end = text.find("\n", end + 1)
        if end < 0:
            break
    chars = lines * (int(width / (NARROWEST * style.fontSize)) + 1)
    end = min(chars, len(text) if end < 0 else end)
    return text if end >= len(text) else text[:end]


def _cut_to_width(text: str, font: str, size: float, width: float) -> str:
    """`text` on one line of at most `width` points (whitespace as single spaces), cut short with "…"."""
    text = " ".join(text.split())
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    short, long = 0, len(text)  # the longest start that fits, by bisection
    while short < long:
        middle = (short + long + 1) // 2
        if pdfmetrics.stringWidth(text[:middle] + "…", font, size) <= width:
            short = middle
        else:
            long = middle - 1
    return text[:short].rstrip() + "…"


# A column named after a quarter ("TW IV K", "TW IV Rp"): the header names the quarter once over all its
# columns, each column's own name ("K", "Rp") beneath, so that a quarter's name is never broken up.
_QUARTER_COLUMN = re.compile(r"(TW [IV]+) (\S.*)")


def _header_names(table: ReportTable) -> list[tuple[str, str]]:
    """Per column: the quarter that heads it ("" for none) and its own name beneath."""
    names = []
    for column in table.columns:
        match = _QUARTER_COLUMN.fullmatch(column.label)
        names.append((match[1], match[2]) if match else ("", column.label))
    return names


def _runs(groups: list[str], columns: Iterable[int]) -> list[list[int]]:
    """`columns` in runs: neighbouring columns headed by one quarter (`groups`, by column) together, any
    other column alone."""
    runs: list[list[int]] = []
    for c in columns:
        if runs and groups[c] and runs[-1][-1] == c - 1 and groups[c - 1] == groups[c]:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


# ---------------------------------------------------------------------------------------------
# Tables: widths that fit the page, split into parts when even the smallest font does not fit.


@dataclass
class _Sizing:
    font_size: float
    natural: list[float]  # width each column would like
    minimum: list[float]  # narrowest each column may be


class _Widest:
    """The widest of some strings at each font size tried, measuring every string only at the first size.

    A TrueType string is as wide as the sum of its glyphs' advances (exact binary fractions, so the sum is
    exact) times a factor of the size alone. At any size the widest strings are therefore the same ones:
    those tied widest at the first size, the only ones measured again at the next sizes."""

    def __init__(self, strings: set[tuple[str, str]]) -> None:
        self._strings = strings  # (text, font name)

    def at(self, size: float) -> float:
        widths = {(t, f): pdfmetrics.stringWidth(t, f, size) for t, f in self._strings}
        widest = max(widths.values(), default=0.0)
        self._strings = {key for key, width in widths.items() if width == widest}
        return widest


class _Columns:
    """What the widths of a table's columns depend on: per column its header's words, its texts and, for a
    text column, their words; measured at each font size tried."""

    def __init__(self, table: ReportTable, cells: list[list[str]]) -> None:
        self.kinds = [column.kind for column in table.columns]
        names = _header_names(table)
        self.groups = [group for group, _ in names]
        self.quarters = {group: _Widest({(group, FONT_BOLD)}) for group in self.groups if group}
        self.header, self.texts, self.words = [], [], []
        for c, (_, own) in enumerate(names):
            texts = {(row[c], FONT_BOLD if table.level(r) else FONT) for r, row in enumerate(cells) if row[c]}
            self.header.append(_Widest({(w, FONT_BOLD) for w in own.split()}))
            self.texts.append(_Widest(texts))
            self.words.append(_Widest({(w, f) for t, f in texts for w in t.split()}))

    def sizing(self, size: float) -> _Sizing:
        natural, minimum = [], []
        for c, kind in enumerate(self.kinds):
            header, widest = self.header[c].at(size), self.texts[c].at(size)
            if kind in NUMERIC_KINDS:
                natural.append(max(widest, header) + 2 * PAD)
                minimum.append(natural[-1])
                continue
            word = self.words[c].at(size)
            natural.append(max(min(widest, TEXT_COLUMN_MAX), header) + 2 * PAD)
            minimum.append(min(max(min(word, WORD_MAX), header), natural[-1] - 2 * PAD) + 2 * PAD)
        for run in _runs(self.groups, range(len(self.kinds))):
            if self.groups[run[0]]:  # the columns of a quarter are together as wide as its name
                need = self.quarters[self.groups[run[0]]].at(size) + 2 * PAD
                for widths in (natural, minimum):
                    widths[run[-1]] += max(need - sum(widths[c] for c in run), 0.0)
        return _Sizing(size, natural, minimum)


def _fit(sizing: _Sizing, columns: list[int], room: float) -> list[float]:
    """Widths of `columns`: natural when they fit, else text columns shrink toward their minimum."""
    natural = [sizing.natural[c] for c in columns]
    minimum = [sizing.minimum[c] for c in columns]
    if sum(natural) <= room:
        return natural
    spare = room - sum(minimum)
    give = [n - m for n, m in zip(natural, minimum, strict=True)]
    total = sum(give) or 1.0
    return [m + max(spare, 0) * g / total for m, g in zip(minimum, give, strict=True)]


def _parts(sizing: _Sizing, groups: list[str]) -> list[list[int]]:
    """Column groups that each fit the page width, the key columns repeated in each, the columns of one
    quarter (`groups`, by column) kept in one."""
    count = len(groups)
    if sum(sizing.minimum) <= WIDTH or count <= KEY_COLUMNS:
        return [list(range(count))]
    keys = list(range(KEY_COLUMNS))
    room = WIDTH - sum(sizing.minimum[c] for c in keys)
    parts: list[list[int]] = [[]]
    used = 0.0
    for run in _runs(groups, range(KEY_COLUMNS, count)):
        width = sum(sizing.minimum[c] for c in run)
        if parts[-1] and used + width > room:
            parts.append([])
            used = 0.0
        parts[-1] += run
        used += width
    return [keys + part for part in parts]


class _CellText(Paragraph):
    """The text of a table cell. A table wraps each cell to size its row, again to draw it, and again on
    each page it is split over; the lines found for a width are kept rather than found anew each time
    (wrapping is the same for the same width), so one paragraph also serves every cell with its text."""

    _STATE = (
        "width",
        "height",
        "_wrapWidths",
        "blPara",
        "_width_max",
        "_splitLongWordCount",
        "_hyphenations",
    )

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        wrapped = self.__dict__.setdefault("_wrapped", {})
        state = wrapped.get(availWidth)
        if state is None:
            size = super().wrap(availWidth, availHeight)
            wrapped[availWidth] = (size, {k: self.__dict__[k] for k in self._STATE if k in self.__dict__})
            return size
        self.__dict__.update(state[1])
        return state[0]


class _Table(Table):
    """A table that leaves empty cells alone: an empty cell draws nothing, and most tables have many (the
    quarters still to come, optional columns)."""

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:  # reportlab's API
        if cellval == "" or cellval == ():
            return
        super()._drawCell(cellval, cellstyle, pos, size)


def _is_plain(text: str) -> bool:
    """Text that a paragraph draws exactly as it is: printable, words separated by single spaces."""
    return text.isprintable() and " ".join(text.split()) == text


def _plain_lines(paragraph: _CellText) -> str | tuple[()] | None:
    """The lines of a wrapped paragraph as the text of a table cell ("\n" between lines) when the table
    draws that text exactly as the paragraph would: one style, no line squeezed, no soft hyphen. No lines
    at all is an empty cell."""
    lines = paragraph.blPara
    if lines.kind != 0 or "\xad" in paragraph.text:
        return None
    if any(extra <= -1e-8 and len(words) > 1 for extra, words in lines.lines):
        return None  # an overfull line: the paragraph narrows its spaces
    return "\n".join(" ".join(words) for _, words in lines.lines) if lines.lines else ()


class _TextCells:
    """The text cells of one table at one font size, made once for all its parts.

    A cell whose text a paragraph would draw as plain lines (the common case: printable text, words apart
    by single spaces, no line squeezed) is given to the table as those lines, "\n" between them, spaced
    as the paragraph spaces its lines: the table draws them at the same places as the paragraph would,
    several times faster. Anything else stays a paragraph. An empty cell has no lines, as an empty
    paragraph. The header's labels likewise, bottom-aligned, those of number columns to the right."""

    def __init__(self, size: float) -> None:
        self.size = size
        self.styles = {False: _style("td", size), True: _style("tdb", size, bold=True)}
        self.header_styles = {False: _style("th", size, bold=True, alignment=TA_LEFT),
                              True: _style("thn", size, bold=True, alignment=TA_RIGHT)}  # fmt: skip
        self._cells: dict[tuple[str, bool, float], Any] = {}
        self._widths: dict[tuple[str, str], float] = {}

    def header(self, label: str, numeric: bool, room: float) -> Any:
        """The header cell of a column, with its name."""
        paragraph = _CellText(_text(label), self.header_styles[numeric])
        paragraph.wrap(room, PAGE[1])
        plain = _plain_lines(paragraph)
        return paragraph if plain is None else plain

    def cell(self, text: str, bold: bool, room: float) -> Any:
        """The cell for `text` with `room` points of width for it (the column less its padding)."""
        key = (text, bold, room)
        if key in self._cells:
            return self._cells[key]
        style = self.styles[bold]
        if not text:
            cell: Any = ()
        elif _is_plain(text) and self._one_line(text, style.fontName, room):
            cell = text
        else:
            cell = _fitting(text, style, room, CELL_HEIGHT_MAX, _CellText)
            plain = _plain_lines(cell)
            cell = cell if plain is None else plain
        self._cells[key] = cell
        return cell

    def _one_line(self, text: str, font: str, room: float) -> bool:
        """Whether a paragraph puts plain `text` on one line: its words and spaces added up as the paragraph
        adds them."""
        space = self._width(" ", font)
        width = -space
        for word in text.split(" "):
            width = width + space + self._width(word, font)
        return width <= room

    def _width(self, word: str, font: str) -> float:
        width = self._widths.get((word, font))
        if width is None:
            width = self._widths[word, font] = pdfmetrics.stringWidth(word, font, self.size)
        return width


def _table_flowable(table: ReportTable, cells: list[list[str]], columns: list[int], texts: _TextCells,
                    widths: list[float]) -> Table:  # fmt: skip
    numeric = [table.columns[c].kind in NUMERIC_KINDS for c in columns]
    # The room a cell's text has, as the table computes it for a paragraph.
    rooms = [w - PAD - PAD for w in widths]
    header, lines = _header(table, columns, numeric, widths, texts)
    data: list[list[Any]] = [header]
    for r in range(len(table.rows)):
        bold = table.level(r) > 0
        data.append([cells[r][c] if num else texts.cell(cells[r][c], bold, room)
                     for c, num, room in zip(columns, numeric, rooms, strict=True)])  # fmt: skip
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_FILL)),
        *lines,
    ]
    for r in range(len(table.rows)):
        level = table.level(r)
        if level:
            fill = colors.HexColor(LEVEL_FILLS.get(level, DEEPEST_FILL))
            commands.append(("BACKGROUND", (0, r + 1), (-1, r + 1), fill))
        if level == 1:
            commands.append(("LINEABOVE", (0, r + 1), (-1, r + 1), 1.2, colors.HexColor(INK)))
    styles = _cell_styles(table, numeric, texts.size, texts.styles[False].leading)
    return _Table(data, colWidths=widths, rowHeights=_row_heights(data, styles, rooms), repeatRows=1,
                  style=TableStyle(commands), hAlign="LEFT", cellStyles=styles)  # fmt: skip


def _header(
    table: ReportTable, columns: list[int], numeric: list[bool], widths: list[float], texts: _TextCells
) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """The header row of a part of a table (`columns`, `widths` wide) and the style commands of its lines: the
    grid; or, when a quarter heads some columns, the grid except between a quarter's columns in the header,
    where the quarter's first cell draws its name over them all and parts them beneath (`_QuarterHeader`)."""
    names = _header_names(table)
    rooms = [w - PAD - PAD for w in widths]
    grid = colors.HexColor(GRID)
    if not any(names[c][0] for c in columns):
        labels = [table.columns[c].label for c in columns]
        row = [texts.header(*cell) for cell in zip(labels, numeric, rooms, strict=True)]
        return row, [("GRID", (0, 0), (-1, -1), 0.4, grid)]
    at = {c: i for i, c in enumerate(columns)}
    row = [texts.header(names[c][1], num, room) for c, num, room in zip(columns, numeric, rooms, strict=True)]
    lines: list[tuple[Any, ...]] = [
        ("GRID", (0, 1), (-1, -1), 0.4, grid),
        ("BOX", (0, 0), (-1, 0), 0.4, grid),
    ]
    for run in _runs([group for group, _ in names], columns):
        first, last = at[run[0]], at[run[-1]]
        if first:
            lines.append(("LINEBEFORE", (first, 0), (first, 0), 0.4, grid))
        if names[run[0]][0]:
            span = range(first, last + 1)
            row[first] = _QuarterHeader(names[run[0]][0], [names[columns[i]][1] for i in span],
                                        [widths[i] for i in span], [numeric[i] for i in span], texts.size,
                                        texts.header_styles[False].leading)  # fmt: skip
    return row, lines


class _QuarterHeader(Flowable):
    """The header cell of a quarter's first column, drawn over all the quarter's columns (`widths`): the
    quarter's name centred over them, a rule, each column's own name beneath (a number column's to the right,
    on the line where the table sets the other columns' names), and the rule's columns parted below it.

    A table could span one cell over the columns instead, but it then maps every cell of the table again on
    each page the table is split over: for T3, a fifth of the whole PDF's time."""

    RULE = 2.0  # points between the two lines, the rule in the middle

    def __init__(self, quarter: str, labels: list[str], widths: list[float], numeric: list[bool], size: float,
                 leading: float) -> None:  # fmt: skip
        super().__init__()
        self.quarter, self.labels, self.widths, self.numeric = quarter, labels, widths, numeric
        self.size, self.leading = size, leading

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # reportlab's API
        return availWidth, 2 * self.leading + self.RULE

    def draw(self) -> None:  # reportlab's API
        canvas, size, leading = self.canv, self.size, self.leading
        left = -PAD  # the cell's left edge: the table draws a cell's content inside its padding
        rule = leading + self.RULE / 2
        canvas.setFont(FONT_BOLD, size)
        canvas.setFillColor(colors.HexColor(INK))
        canvas.drawCentredString(
            left + sum(self.widths) / 2, leading + self.RULE + leading - size, self.quarter
        )
        canvas.setStrokeColor(colors.HexColor(GRID))
        canvas.setLineWidth(0.4)
        canvas.line(left, rule, left + sum(self.widths), rule)
        x = left
        for i, (label, width, numeric) in enumerate(zip(self.labels, self.widths, self.numeric, strict=True)):
            if i == 0:  # the other columns' names are their own cells
                if numeric:
                    canvas.drawRightString(x + width - PAD, leading - size, label)
                else:
                    canvas.drawString(x + PAD, leading - size, label)
            x += width
            if i < len(self.widths) - 1:
                canvas.line(x, -VPAD, x, rule)


def _cell_height(value: Any, style: CellStyle, room: float) -> float:
    """The height of a cell as the table computes it: its lines (a paragraph's or other flowable's height,
    nothing for no lines) and padding."""
    if isinstance(value, Flowable):
        lines = value.wrap(room, PAGE[1])[1]
    elif value == ():
        lines = 0
    else:
        lines = (style.leading or 1.2 * style.fontsize) * len(str(value).split("\n"))
    return lines + (style.bottomPadding + style.topPadding)


def _row_heights(data: list[list[Any]], styles: list[list[CellStyle]], rooms: list[float]) -> list[float]:
    """Each row's height, computed once and exactly as the table would compute it (every time it is split
    over a page): its tallest cell."""
    return [
        max((_cell_height(*cell) for cell in zip(row, row_styles, rooms, strict=True)), default=0.0)
        for row, row_styles in zip(data, styles, strict=True)
    ]


def _cell_styles(
    table: ReportTable, numeric: list[bool], size: float, leading: float
) -> list[list[CellStyle]]:
    """The style of every cell, one object per kind of cell (style commands would make one per cell and
    set it command by command): the header; then by column, text or number, in a detail or a subtotal row.
    Plain lines of text are spaced as the paragraphs' lines; numbers keep the table's own leading."""

    def style(name: str, **values: Any) -> CellStyle:
        cell = CellStyle(name)
        for key, value in {"leftPadding": PAD, "rightPadding": PAD, "topPadding": VPAD, "bottomPadding": VPAD,
                           **values}.items():  # fmt: skip
            setattr(cell, key, value)
        return cell

    ink = colors.HexColor(INK)
    header = {num: style(f"header-{num}", fontname=FONT_BOLD, fontsize=size, leading=leading, color=ink,
                         valign="BOTTOM", alignment="RIGHT" if num else "LEFT")
              for num in (False, True)}  # fmt: skip
    body = {
        (num, bold): style(f"body-{num}-{bold}", fontname=FONT_BOLD if bold else FONT, fontsize=size,
                           leading=size * 1.2 if num else leading, color=ink, valign="TOP",
                           alignment="RIGHT" if num else "LEFT")
        for num in (False, True) for bold in (False, True)
    }  # fmt: skip
    rows = {bold: [body[num, bold] for num in numeric] for bold in (False, True)}
    return [[header[num] for num in numeric]] + [
        list(rows[table.level(r) > 0]) for r in range(len(table.rows))
    ]


def table_flowables(table: ReportTable) -> list[Flowable]:
    """One table as flowables: the table itself, or its parts side by side in reading order when too wide."""
    _check_table(table)
    cells = cell_texts(table)
    measure = _Columns(table, cells)
    for size in FONT_SIZES:  # the largest that fits, else the smallest
        sizing = measure.sizing(size)
        if sum(sizing.minimum) <= WIDTH:
            break
    parts = _parts(sizing, measure.groups)
    texts = _TextCells(sizing.font_size)
    flowables: list[Flowable] = []
    for i, columns in enumerate(parts, start=1):
        if len(parts) > 1:
            first, last = (table.columns[c].label for c in (columns[KEY_COLUMNS], columns[-1]))
            text = f"Bagian {i} dari {len(parts)}: kolom {first} s.d. {last}"
            flowables.append(Paragraph(_text(text), _note()))
        widths = _fit(sizing, columns, WIDTH)
        flowables += [_table_flowable(table, cells, columns, texts, widths), Spacer(1, 4 * mm)]
    return flowables


# ---------------------------------------------------------------------------------------------
# Charts: the same geometry as the page's SVG charts (rekap.render.build_charts), drawn by reportlab.

_FILLS = {"bar": NAVY, "bar-pagu": PALE, "track": TRACK}


def chart_drawing(chart: Chart, width: float = CHART_WIDTH_PT) -> Drawing:
    """A chart as a reportlab drawing, scaled to `width` points (SVG's y axis points down, PDF's up)."""
    scale = width / chart.width
    drawing = Drawing(width, chart.height * scale)

    def y(value: float) -> float:
        return (chart.height - value) * scale

    for r in chart.rects:
        fill = colors.HexColor(_FILLS.get(r.cls, NAVY))
        drawing.add(Rect(r.x * scale, y(r.y + r.height), r.width * scale, r.height * scale,
                         fillColor=fill, strokeColor=None))  # fmt: skip
    for line in chart.lines:
        drawing.add(Line(line.x1 * scale, y(line.y1), line.x2 * scale, y(line.y2),
                         strokeColor=colors.HexColor(GRID), strokeWidth=0.6))  # fmt: skip
    anchors = {"start": "start", "middle": "middle", "end": "end"}
    for t in chart.texts:
        value = t.cls == "val"
        drawing.add(String(t.x * scale, y(t.y), t.text, fontName=FONT, fontSize=(13 if value else 14) * scale,
                           fillColor=colors.HexColor(MUTED if value else INK),
                           textAnchor=anchors.get(t.anchor, "start")))  # fmt: skip
    return drawing


def _legend(items: list[tuple[str, str]]) -> Drawing:
    """Colour swatches and their labels on one line (drawn: the fonts have no square glyph)."""
    drawing, x = Drawing(CHART_WIDTH_PT, 10), 0.0
    for cls, label in items:
        drawing.add(Rect(x, 1, 7, 7, fillColor=colors.HexColor(_FILLS.get(cls, NAVY)), strokeColor=None))
        drawing.add(String(x + 10, 1.5, label, fontName=FONT, fontSize=7.5, fillColor=colors.HexColor(MUTED)))
        x += 10 + pdfmetrics.stringWidth(label, FONT, 7.5) + 12
    return drawing


def _chart_block(chart: Chart) -> list[Flowable]:
    caption = [Paragraph(_text(chart.title), _style("ct", 9, bold=True)),
               Paragraph(_text(chart.description), _style("cd", 7.5, color=MUTED))]  # fmt: skip
    if chart.legend:
        caption.append(_legend(chart.legend))
    # A tall chart (many OPD) is drawn narrower so that it fits one page with its caption.
    width = min(CHART_WIDTH_PT, CHART_HEIGHT_MAX * chart.width / chart.height)
    return [*caption, Spacer(1, 2 * mm), chart_drawing(chart, width)]


def chart_grid(charts: Sequence[Chart]) -> list[Flowable]:
    """The charts two by two, each pair kept on one page."""
    cells = [_chart_block(c) for c in charts]
    rows = [cells[i : i + 2] + [[]] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)]
    half = WIDTH / 2
    style = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    return [KeepTogether(Table([row], colWidths=[half, half], style=style, hAlign="LEFT")) for row in rows]


# ---------------------------------------------------------------------------------------------
# The document.


@cache
def _note() -> ParagraphStyle:
    return _style("note", 7.5, color=MUTED, spaceAfter=2)


class _Heading(Paragraph):
    """A table or section title, kept whole on one page (cut short if it would fill more than a quarter of
    one); also an entry of the PDF outline."""

    def __init__(self, text: str, style: ParagraphStyle, key: str) -> None:
        super().__init__(_fitting(text, style, WIDTH, HEADING_HEIGHT_MAX).text, style)
        self.key, self.title = key, text

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # reportlab's API
        return []  # not here: on the next page


class _NumberedCanvas(Canvas):
    """Writes "Halaman N dari M" once the number of pages is known."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # reportlab's API
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 7)
            self.setFillColor(colors.HexColor(MUTED))
            self.drawRightString(PAGE[0] - MARGIN, MARGIN / 2, f"Halaman {self._pageNumber} dari {total}")
            super().showPage()
        super().save()


class _Document(BaseDocTemplate):
    def __init__(self, path: str, report: Report) -> None:
        identity = report_identity(report)
        super().__init__(
            path,
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=f"{LAPORAN_TITLE} - {identity}",
            author="rekap-ke",
            subject="Rekap realisasi anggaran kemiskinan ekstrem (KE) per triwulan",
            creator="rekap-ke",
            invariant=True,  # same report, same bytes
            lang="id",
        )
        frame = Frame(MARGIN, MARGIN, WIDTH, HEIGHT, id="isi", leftPadding=0, rightPadding=0)
        # Beside the page number, on every page.
        self.footer = _cut_to_width(f"{LAPORAN_TITLE} - {identity}", FONT, 7, WIDTH - 90)
        self.addPageTemplates([PageTemplate(id="laporan", frames=[frame], onPage=self._on_page)])

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor(MUTED))
        canvas.drawString(MARGIN, MARGIN / 2, self.footer)
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # reportlab's API
        if isinstance(flowable, _Heading):
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.title, flowable.key, level=0)


def report_story(report: Report) -> list[Flowable]:
    """Everything the PDF shows, in order: the identity, T0, the charts, then the other tables."""
    h1 = _style("h1", 16, bold=True, color=NAVY, spaceAfter=2)
    h2 = _style("h2", 11, bold=True, color=NAVY, spaceBefore=4, spaceAfter=2)
    kicker = _style("kicker", 8, color=MUTED)
    romawi = triwulan_romawi(report.triwulan)
    keadaan = _tanggal_panjang(akhir_triwulan(report.tahun, report.triwulan))
    identitas = f"Kode {report.kode_pemda} · Tahun {report.tahun} · Triwulan {romawi} (s.d. {keadaan})"
    story: list[Flowable] = [
        Paragraph(_text(LAPORAN_TITLE.upper()), kicker),
        _Heading(report.nama_pemda, h1, "identitas"),
        Paragraph(
            _text(identitas),
            _style("id", 9, color=MUTED, spaceAfter=8),
        ),
    ]
    charts = build_charts(report)
    for i, table in enumerate(report.tables):
        block: list[Flowable] = [_Heading(table.title, h2, table.key)]
        if table.note:
            block.append(Paragraph(_text(table.note), _note()))
        empty = [Paragraph("Tidak ada data.", _note()), Spacer(1, 4 * mm)]
        body = table_flowables(table) if table.rows else empty
        story += [KeepTogether(block + body[:1]), *body[1:]]
        if i == 0 and charts:
            story += [_Heading("Grafik", h2, "grafik"), *chart_grid(charts), Spacer(1, 4 * mm)]
    footer = (
        f"{report_identity(report)}. Disusun otomatis oleh rekap-ke dari berkas yang disampaikan OPD. "
        "Angka dalam Rupiah kecuali dinyatakan lain; persen dengan dua desimal."
    )
    story.append(_fitting(footer, _note(), WIDTH, HEADING_HEIGHT_MAX))
    return story


def render_pdf(report: Report, path: Path) -> Path:
    """Write the report as an A4 landscape PDF and return `path`."""
    for table in report.tables:
        _check_table(table)
    story = report_story(report)

    def write(target: Path) -> None:
        _Document(str(target), report).build(story, canvasmaker=_NumberedCanvas)

    return write_atomically(path, write)
