"""Look at the XML of an xlsx before a spreadsheet library builds anything from it.

python-calamine turns a worksheet into a dense grid from A1 to its furthest cell with a value, and copies a
shared string into every cell that uses it: a stray value at `XFD20000` in an 8 KB file asks for 16,384 x
20,000 cells, and the process is aborted when the allocation fails (no exception reaches Python). So
before calamine loads a workbook, the reader learns from these functions how far each worksheet's cells
really reach, how many there are, and how much text the shared strings expand to; and, for the data
sheet, which cells hold a formula without a cached value. Every function here is linear in the bytes it
is given and builds nothing dense; the limits themselves are applied by `rekap.reading`.

Positions follow calamine: a cell's `r` attribute when it has one, else the column after the previous
cell of its row (a row's `r`, else the row after the previous one). A self-closing cell (`<c r="B5"
s="3"/>`, a formatted blank) holds no value and calamine skips it; any other cell is counted as holding
one, which may overcount (an empty `<c></c>`) but never undercounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Every cell tag in the common form `<c r="B5"` with a one-letter column and a row of at most four digits
# is what nearly every writer produces for a sheet of a few thousand rows: a search for anything else (a
# longer reference, another attribute first, a cell without `r`; and, apart, a namespace prefix) decides
# whether a sheet needs the exact walk or fits the bounds below as it stands. (Two searches, each with a
# literal start, rather than one with both alternatives: a literal start lets the search skip ahead.)
_NOT_SMALL = re.compile(rb'<c(?=[\s/>])(?!\sr="[A-Z][0-9]{1,4}"[\s/>])')
_PREFIXED = re.compile(rb":(?:c|f)[\s/>]")
SMALL_COLUMNS = 26  # A..Z
SMALL_ROWS = 9_999

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
# The tags the walk reads: every row and cell (when a cell without `r` is placed after the one before
# it), else only the cells that may hold a value (not self-closing: the regular expression skips the
# formatted blanks, which may be most of a sheet) and, for the formula scan, what is inside them.
_TAG = re.compile(rb"<(/?)" + _PREFIX + rb"(row|c|f|v|is)(?=[\s/>])([^>]*)>")
_VALUE_CELL = rb"c(?=>)|c(?=\s)(?![^>]*/>)"
_VALUE_CELL_TAG = re.compile(rb"<(/?)" + _PREFIX + rb"(" + _VALUE_CELL + rb")([^>]*)>")
_VALUE_CELL_OR_CONTENT_TAG = re.compile(
    rb"<(/?)" + _PREFIX + rb"(" + _VALUE_CELL + rb"|(?:f|v|is)(?=[\s/>]))([^>]*)>"
)
_CELL_WITHOUT_REF = re.compile(rb"<" + _PREFIX + rb"c(?=[\s/>])(?![^>]*\sr\s*=)")
_REF_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*["']([^"']*)["']""")
_CELL_REF = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,9})")
_ROW_NUMBER = re.compile(rb"[0-9]{1,9}")
_SHARED_TYPE = re.compile(rb"""\st\s*=\s*["']s["']""")
_SHARED_CELL = re.compile(
    rb"<" + _PREFIX + rb"""c\s[^>]*?\bt\s*=\s*["']s["'][^>]*>\s*<""" + _PREFIX + rb"v>\s*([0-9]{1,9})"
)
_SHARED_ITEM = re.compile(rb"<" + _PREFIX + rb"si[\s/>]")
_FORMULA = re.compile(rb"<f[\s/>]")
_MERGE = re.compile(rb"<" + _PREFIX + rb"mergeCell[\s/>]")
MERGE_BYTES = 20  # a merged range takes at least this many bytes (`<mergeCell ref="A1:B2"/>` has 25)


def column_number(letters: bytes | str) -> int:
    """0-based column index of Excel column letters (A -> 0, XFD -> 16383)."""
    index = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.upper().decode("ascii"):
        index = index * 26 + ord(ch) - 64
    return index - 1


def column_letter(index: int) -> str:
    """Excel column letter for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    """Excel name of a 0-based (row, column): (19999, 16383) -> XFD20000."""
    return f"{column_letter(column)}{row + 1}"


@dataclass
class SheetExtent:
    """How far the cells with a value reach in one worksheet (0-based), exactly or as a bound."""

    cells: int  # cells with a value (at most)
    last_row: int  # lowest row with a value, -1 when none
    last_column: int  # rightmost column with a value, -1 when none
    widest: tuple[int, int] = (-1, -1)  # (row, column) of a cell in the rightmost column
    deepest: tuple[int, int] = (-1, -1)  # (row, column) of a cell in the lowest row
    exact: bool = True
    bad_reference: str | None = None  # an `r` attribute that names no cell
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)  # (row, column)

    @property
    def area(self) -> int:
        """Cells of the dense grid from A1 to the furthest cell."""
        return (self.last_row + 1) * (self.last_column + 1)


def sheet_extent(xml: bytes) -> SheetExtent:
    """The extent of a worksheet: a bound from one search when every cell is in the common small form,
    else exact (`walk_cells`)."""
    if _NOT_SMALL.search(xml) is None and _PREFIXED.search(xml) is None:
        return SheetExtent(
            cells=len(xml) // 3,  # a cell tag takes at least three bytes
            last_row=SMALL_ROWS - 1,
            last_column=SMALL_COLUMNS - 1,
            exact=False,
        )
    return walk_cells(xml, formulas=False)


def walk_cells(xml: bytes, formulas: bool) -> SheetExtent:
    """Every cell of a worksheet in order, placed as calamine places it: the exact extent, and with
    `formulas` the cells holding a formula (`<f>`) but no cached value (`<v>` with text, or `<is>`)."""
    found = SheetExtent(cells=0, last_row=-1, last_column=-1)
    row = col = -1
    open_cell: tuple[int, int] | None = None  # the cell whose content is being read
    has_formula = has_value = False
    if _CELL_WITHOUT_REF.search(xml):
        tags = _TAG
    else:
        tags = _VALUE_CELL_OR_CONTENT_TAG if formulas else _VALUE_CELL_TAG
    for m in tags.finditer(xml):
        closing, name, attrs = m.groups()
        if name == b"c":
            if open_cell is not None and has_formula and not has_value:
                found.formulas_without_value.append(open_cell)
            open_cell = None
            if closing:
                continue
            ref = _REF_ATTR.search(attrs)
            if ref is None:
                col += 1
                row = max(row, 0)
            else:
                parts = _CELL_REF.fullmatch(ref.group(1))
                if parts is None:
                    found.bad_reference = ref.group(1).decode("utf-8", "replace")[:40]
                    return found
                row, col = int(parts.group(2)) - 1, column_number(parts.group(1))
            if attrs.endswith(b"/"):
                continue  # a formatted blank: no value
            found.cells += 1
            if col > found.last_column:
                found.last_column, found.widest = col, (row, col)
            if row > found.last_row:
                found.last_row, found.deepest = row, (row, col)
            if formulas:
                open_cell, has_formula, has_value = (row, col), False, False
        elif name == b"row":
            if closing:
                continue
            ref = _REF_ATTR.search(attrs)
            number = _ROW_NUMBER.fullmatch(ref.group(1)) if ref else None
            if ref is not None and number is None:
                found.bad_reference = ref.group(1).decode("utf-8", "replace")[:40]
                return found
            row, col = (int(number.group()) - 1 if number else row + 1), -1
        elif open_cell is not None and not closing:
            if name == b"f":
                has_formula = True
            elif name == b"is" or (
                name == b"v" and not attrs.endswith(b"/") and xml[m.end() : m.end() + 1] not in (b"<", b"")
            ):
                has_value = True
    if open_cell is not None and has_formula and not has_value:
        found.formulas_without_value.append(open_cell)
    return found


_VALUE_IN = re.compile(rb"<v(?:\s[^>]*)?>[^<]|<is[\s/>]")


def formulas_without_value(xml: bytes) -> list[tuple[int, int]]:
    """The (row, column) of each cell holding a formula but no cached value. From each formula back to
    its cell's tag and on to the cell's end: a few steps per formula, each part of the XML looked at once.
    A sheet with cells placed without `r` or in a namespace prefix takes the walk over every cell."""
    if _CELL_WITHOUT_REF.search(xml) or _PREFIXED.search(xml):
        return walk_cells(xml, formulas=True).formulas_without_value
    found = []
    low = 0  # the cell of a formula begins after the formula before it
    for m in _FORMULA.finditer(xml):
        start = xml.rfind(b"<c ", low, m.start())
        low = m.end()
        tag_end = xml.find(b">", start)
        if start < 0 or xml[tag_end - 1 : tag_end] == b"/":
            continue  # not inside a cell
        ends = [i for i in (xml.find(b"</c>", m.end()), xml.find(b"<c ", m.end())) if i >= 0]
        if _VALUE_IN.search(xml, tag_end, min(ends, default=len(xml))):
            continue
        ref = _REF_ATTR.search(xml, start + 2, tag_end)
        parts = _CELL_REF.fullmatch(ref.group(1)) if ref else None
        if parts is not None:
            found.append((int(parts.group(2)) - 1, column_number(parts.group(1))))
    return found


def has_formula(xml: bytes) -> bool:
    """Whether a worksheet holds a formula element (`<f>`, perhaps with a namespace prefix; a dropdown's
    `<formula1>` is not one)."""
    return _FORMULA.search(xml) is not None or _PREFIXED.search(xml) is not None


def merge_count(xml: bytes, limit: int) -> int:
    """How many merged ranges a worksheet declares, or a bound of it when that is at most `limit`."""
    bound = len(xml) // MERGE_BYTES
    return bound if bound <= limit else len(_MERGE.findall(xml))


def shared_string_bound(shared_bytes: int, sheets: list[bytes]) -> int:
    """At most how many characters the shared strings expand to, from sizes alone: every cell that could
    be of type shared string (one takes at least 21 bytes, `<c t="s"><v>0</v></c>`) using the whole
    table (of `shared_bytes` bytes: a string's bytes in the XML bound its characters)."""
    return sum(map(len, sheets)) // 21 * shared_bytes


def shared_string_expansion(shared_xml: bytes, sheets: list[bytes], budget: int) -> int:
    """The characters the shared strings expand to in the cells that use them, or an upper bound of it
    that is at most `budget` whenever the exact figure is: a bound from the longest string first, each
    string's own length per cell only when needed."""
    pieces = _SHARED_ITEM.split(shared_xml)[1:]
    if not pieces:
        return 0
    longest = max(map(len, pieces))
    count = sum(len(_SHARED_TYPE.findall(x)) for x in sheets)
    bound = count * longest
    if bound <= budget:
        return bound
    total = seen = 0
    for xml in sheets:
        for m in _SHARED_CELL.finditer(xml):
            index = int(m.group(1))
            total += len(pieces[index]) if index < len(pieces) else 0
            seen += 1
    # Cells of the type whose value the pattern did not reach (a formula before it, say) count as the
    # longest string.
    return total + max(count - seen, 0) * longest
