"""The report as one self-contained HTML page, readable on a phone and without a network."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from rekap.contract.calendar import akhir_triwulan, tanggal_panjang, triwulan_romawi
from rekap.contract.tables import NUMERIC_KINDS, Report, ReportTable
from rekap.files import write_atomically
from rekap.report.charts import build_charts
from rekap.report.common import LAPORAN_TITLE, _check_table, _column_values, cell_texts, report_identity
from rekap.settings import TEMPLATES_DIR

HTML_TEMPLATE = "laporan.html.j2"


@dataclass(frozen=True)
class HtmlTable:
    """A table as the template shows it: every cell already formatted."""

    anchor: str
    title: str
    note: str
    headers: list[tuple[str, str]]  # (label, css class)
    rows: list[tuple[int, list[tuple[str, str]]]]  # (level, [(text, css class)])

    @property
    def body(self) -> Markup:
        """The rows as the page's HTML, each cell's text escaped as the template escapes a value (its class
        is one of ours). Written here, not by a loop in the template: a report has some 7,900 cells, and
        the template's two escapes a cell, each a Markup made in Python, were half of the page's time."""
        lines = []
        for level, cells in self.rows:
            lines.append(f'        <tr class="level-{level}">' if level else "        <tr>")
            lines.extend(f'          <td class="{cls}">{escape(text)}</td>' for text, cls in cells)
            lines.append("        </tr>")
        return Markup("\n".join(lines))


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
        keadaan=tanggal_panjang(akhir_triwulan(report.tahun, report.triwulan)),
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
