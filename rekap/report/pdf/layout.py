"""The PDF's page and text: its fonts, its geometry, and paragraphs of OPD text that fit the room they have.

Text typed by an OPD is escaped (`markup`) before it reaches reportlab's paragraph markup."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from rekap.report.common import INK, MUTED

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


def paragraph_style(
    name: str, size: float, bold: bool = False, color: str = INK, **kw: Any
) -> ParagraphStyle:
    """A paragraph style in the report's fonts, `size` points, bold or not, in `color`."""
    _register_fonts()
    return ParagraphStyle(
        name,
        fontName=FONT_BOLD if bold else FONT,
        fontSize=size,
        leading=size * 1.22,
        textColor=colors.HexColor(color),
        **kw,
    )


def markup(value: str) -> str:
    """Text as reportlab paragraph markup: every character of OPD text stays literal."""
    return escape(value).replace("\n", "<br/>")


def fitting(
    text: str, style: ParagraphStyle, width: float, most: float, kind: type[Paragraph] = Paragraph
) -> Paragraph:
    """A paragraph (of `kind`) of `text` in `style`, wrapped at `width`: the whole text when it is at most
    `most` points high, else as much of its start as fits followed by a note that it is cut (`CLIPPED`)."""
    shown = _visible(text, style, width, most)
    if shown is text:
        paragraph = kind(markup(text), style)
        if paragraph.wrap(width, PAGE[1])[1] <= most:
            return paragraph
    keep = len(shown)
    while True:
        paragraph = kind(
            f'{markup(shown[:keep].rstrip())}… <font color="{MUTED}">{markup(CLIPPED)}</font>', style
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


def cut_to_width(text: str, font: str, size: float, width: float) -> str:
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


@cache
def note_style() -> ParagraphStyle:
    """The small muted style of notes under a heading."""
    return paragraph_style("note", 7.5, color=MUTED, spaceAfter=2)
