"""The report's charts in the PDF: the same geometry as the page's SVG charts (`rekap.report.charts`),
drawn by reportlab."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from rekap.report.charts import Chart
from rekap.report.common import GRID, INK, MUTED, NAVY
from rekap.report.pdf.layout import (
    CHART_HEIGHT_MAX,
    CHART_WIDTH_PT,
    FONT,
    PALE,
    TRACK,
    WIDTH,
    markup,
    paragraph_style,
)

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
    caption = [Paragraph(markup(chart.title), paragraph_style("ct", 9, bold=True)),
               Paragraph(markup(chart.description), paragraph_style("cd", 7.5, color=MUTED))]  # fmt: skip
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
