"""A report table as reportlab flowables: its cells (plain lines where a paragraph would draw just those),
its header (a quarter's name over its columns), row heights and cell styles computed once."""

from __future__ import annotations

from typing import Any, ClassVar

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from rekap.contract.tables import NUMERIC_KINDS, ReportTable
from rekap.report.common import DEEPEST_FILL, GRID, HEADER_FILL, INK, LEVEL_FILLS, _check_table, cell_texts
from rekap.report.pdf.columns import Columns, fit_widths, header_names, quarter_runs, split_columns
from rekap.report.pdf.layout import (
    CELL_HEIGHT_MAX,
    FONT,
    FONT_BOLD,
    FONT_SIZES,
    KEY_COLUMNS,
    PAD,
    PAGE,
    VPAD,
    WIDTH,
    fitting,
    markup,
    note_style,
    paragraph_style,
)


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
    """A table that leaves empty cells alone (an empty cell draws nothing, and most tables have many: the
    quarters still to come, optional columns) and writes the lines of a text cell itself.

    For each line of text, reportlab's table makes a text object, measures the line, splits it into the
    font's subsets and writes one `BT ... ET` block. The blocks here are the same, byte for byte. They are
    only made with less work: the measure and the subset text of a line are kept per document and font,
    so a number or a label that comes back is not measured or split again. The lines of one PDF (about
    5,000 cells) repeat often. Anything the short path does not cover goes to reportlab's own `_drawCell`:
    a flowable, a style with a direction, shaping or link, a font that is not a TrueType subset, bidi text."""

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:  # reportlab's API
        if cellval == "" or cellval == ():
            return
        canvas = self.canv
        font = pdfmetrics.getFont(cellstyle.fontname)
        if type(cellval) is not str or not canvas.bottomup or not _written_here(cellstyle, font):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if self._curcellstyle is not cellstyle:  # as reportlab's _drawCell
            current = self._curcellstyle
            if current is None or cellstyle.color != current.color:
                canvas.setFillColor(cellstyle.color)
            font_of = (cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            if current is None or font_of != (current.fontname, current.fontsize, current.leading):
                canvas.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        colpos, rowpos = pos
        colwidth, rowheight = size
        lines = cellval.split("\n")
        leading, fontsize = cellstyle.leading, cellstyle.fontsize
        if cellstyle.valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + len(lines) * leading - fontsize
        else:  # TOP
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        right = cellstyle.alignment == "RIGHT"
        x = colpos + colwidth - cellstyle.rightPadding if right else colpos + cellstyle.leftPadding
        texts = _LineTexts.of(canvas, font)
        code = canvas._code
        for line in lines:
            shown, width = texts.get(line)
            code.append(f"BT 1 0 0 1 {fp_str(x - width if right else x, y)} Tm {shown} T* ET")
            y -= leading


def _written_here(cellstyle: Any, font: Any) -> bool:
    """Whether `_Table` writes a text cell of this style itself: a TrueType font (set in subsets), text set
    to the left or right, at the top or bottom, with no direction, shaping or link."""
    return (
        font._dynamicFont
        and cellstyle.valign in ("TOP", "BOTTOM")
        and cellstyle.alignment in ("LEFT", "RIGHT")
        and not (cellstyle.direction or cellstyle.shaping or cellstyle.href or cellstyle.destination)
    )


class _LineTexts:
    """What a line of text shows in one PDF, in the canvas's current font, size and leading, as reportlab's
    text object writes it (`_formatText`): a font operator for each subset of the TrueType font the line's
    characters fall in, then the characters; and the line's width, for a line set to the right."""

    def __init__(self, canvas: Any, font: Any) -> None:
        self.canvas, self.font = canvas, font
        self.size, self.leading = canvas._fontsize, canvas._leading
        self.texts: dict[str, tuple[str, float]] = {}

    @classmethod
    def of(cls, canvas: Any, font: Any) -> _LineTexts:
        """The lines of `canvas`'s document in its current font, size and leading."""
        kept = canvas.__dict__.setdefault("_rekap_line_texts", {})
        key = (font.fontName, canvas._fontsize, canvas._leading)
        texts = kept.get(key)
        if texts is None:
            texts = kept[key] = cls(canvas, font)
        return texts

    def get(self, line: str) -> tuple[str, float]:
        found = self.texts.get(line)
        if found is None:
            found = self.texts[line] = (self._shown(line), pdfmetrics.stringWidth(line, self.font.fontName,
                                                                                  self.size))  # fmt: skip
        return found

    def _shown(self, line: str) -> str:
        canvas, font = self.canvas, self.font
        doc = canvas._doc
        parts: list[str] = []
        current = -1
        for subset, text in font.splitString(line, doc):  # assigns the line's new characters their codes
            if subset != current:
                name = font.getSubsetInternalName(subset, doc)
                parts.append(f"{name} {fp_str(self.size)} Tf {fp_str(self.leading)} TL")
                current = subset
            parts.append(f"({canvas._escape(text)}) Tj")
        return " ".join(parts)


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
    """The text cells at one font size, made once in a process for every table and report it draws: the
    names of programs, activities, OPDs and places come back in every part of a table, in several tables
    and in the reports of other pemda (83 % of the long text cells of the national bench's reports repeat
    one already made). At most CELLS_KEPT cells and WIDTHS_KEPT word widths are kept per size; past that
    they are forgotten and made again.

    A cell whose text a paragraph would draw as plain lines (the common case: printable text, words apart
    by single spaces, no line squeezed) is given to the table as those lines, "\n" between them, spaced
    as the paragraph spaces its lines: the table draws them at the same places as the paragraph would,
    with far less work. Anything else stays a paragraph. An empty cell has no lines, as an empty
    paragraph. The header's labels likewise, bottom-aligned, those of number columns to the right."""

    def __init__(self, size: float) -> None:
        self.size = size
        self.styles = {False: paragraph_style("td", size), True: paragraph_style("tdb", size, bold=True)}
        self.header_styles = {False: paragraph_style("th", size, bold=True, alignment=TA_LEFT),
                              True: paragraph_style("thn", size, bold=True, alignment=TA_RIGHT)}  # fmt: skip
        self._cells: dict[tuple[str, bool, float], Any] = {}
        self._widths: dict[tuple[str, str], float] = {}

    CELLS_KEPT: ClassVar[int] = 20_000
    WIDTHS_KEPT: ClassVar[int] = 100_000
    _at: ClassVar[dict[float, _TextCells]] = {}

    @classmethod
    def at(cls, size: float) -> _TextCells:
        """The text cells of this process at font size `size`."""
        texts = cls._at.get(size)
        if texts is None:
            texts = cls._at[size] = cls(size)
        if len(texts._cells) > cls.CELLS_KEPT:
            texts._cells.clear()
        if len(texts._widths) > cls.WIDTHS_KEPT:
            texts._widths.clear()
        return texts

    def header(self, label: str, numeric: bool, room: float) -> Any:
        """The header cell of a column, with its name."""
        paragraph = _CellText(markup(label), self.header_styles[numeric])
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
            cell = fitting(text, style, room, CELL_HEIGHT_MAX, _CellText)
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
    names = header_names(table)
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
    for run in quarter_runs([group for group, _ in names], columns):
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
    each page the table is split over, which for a table as wide as T3 is much of the PDF's work."""

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
    measure = Columns(table, cells)
    for size in FONT_SIZES:  # the largest that fits, else the smallest
        sizing = measure.sizing(size)
        if sum(sizing.minimum) <= WIDTH:
            break
    parts = split_columns(sizing, measure.groups)
    texts = _TextCells.at(sizing.font_size)
    flowables: list[Flowable] = []
    for i, columns in enumerate(parts, start=1):
        if len(parts) > 1:
            first, last = (table.columns[c].label for c in (columns[KEY_COLUMNS], columns[-1]))
            text = f"Bagian {i} dari {len(parts)}: kolom {first} s.d. {last}"
            flowables.append(Paragraph(markup(text), note_style()))
        widths = fit_widths(sizing, columns, WIDTH)
        flowables += [_table_flowable(table, cells, columns, texts, widths), Spacer(1, 4 * mm)]
    return flowables
