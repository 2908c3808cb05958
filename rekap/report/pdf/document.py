"""Render a `Report` as a printable PDF (A4 landscape) for the signed cover letter.

Same content as the HTML page: the identity, every table with its header repeated on each page, and the
charts. Pure Python (reportlab, with the Bitstream Vera fonts it ships), so a pip install is enough.
Text typed by an OPD is escaped before it reaches reportlab's paragraph markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Paragraph, Spacer

from rekap.contract.calendar import akhir_triwulan, tanggal_panjang, triwulan_romawi
from rekap.contract.tables import Report
from rekap.files import write_atomically
from rekap.report.charts import build_charts
from rekap.report.common import LAPORAN_TITLE, MUTED, NAVY, _check_table, report_identity
from rekap.report.pdf.cells import table_flowables
from rekap.report.pdf.charts import chart_grid
from rekap.report.pdf.layout import (
    FONT,
    HEADING_HEIGHT_MAX,
    HEIGHT,
    MARGIN,
    PAGE,
    WIDTH,
    cut_to_width,
    fitting,
    markup,
    note_style,
    paragraph_style,
)


class _Heading(Paragraph):
    """A table or section title, kept whole on one page (cut short if it would fill more than a quarter of
    one); also an entry of the PDF outline."""

    def __init__(self, text: str, style: ParagraphStyle, key: str) -> None:
        super().__init__(fitting(text, style, WIDTH, HEADING_HEIGHT_MAX).text, style)
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
        self.footer = cut_to_width(f"{LAPORAN_TITLE} - {identity}", FONT, 7, WIDTH - 90)
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
    h1 = paragraph_style("h1", 16, bold=True, color=NAVY, spaceAfter=2)
    h2 = paragraph_style("h2", 11, bold=True, color=NAVY, spaceBefore=4, spaceAfter=2)
    kicker = paragraph_style("kicker", 8, color=MUTED)
    romawi = triwulan_romawi(report.triwulan)
    keadaan = tanggal_panjang(akhir_triwulan(report.tahun, report.triwulan))
    identitas = f"Kode {report.kode_pemda} · Tahun {report.tahun} · Triwulan {romawi} (s.d. {keadaan})"
    story: list[Flowable] = [
        Paragraph(markup(LAPORAN_TITLE.upper()), kicker),
        _Heading(report.nama_pemda, h1, "identitas"),
        Paragraph(
            markup(identitas),
            paragraph_style("id", 9, color=MUTED, spaceAfter=8),
        ),
    ]
    charts = build_charts(report)
    for i, table in enumerate(report.tables):
        block: list[Flowable] = [_Heading(table.title, h2, table.key)]
        if table.note:
            block.append(Paragraph(markup(table.note), note_style()))
        empty = [Paragraph("Tidak ada data.", note_style()), Spacer(1, 4 * mm)]
        body = table_flowables(table) if table.rows else empty
        story += [KeepTogether(block + body[:1]), *body[1:]]
        if i == 0 and charts:
            story += [_Heading("Grafik", h2, "grafik"), *chart_grid(charts), Spacer(1, 4 * mm)]
    footer = (
        f"{report_identity(report)}. Disusun otomatis oleh rekap-ke dari berkas yang disampaikan OPD. "
        "Angka dalam Rupiah kecuali dinyatakan lain; persen dengan dua desimal."
    )
    story.append(fitting(footer, note_style(), WIDTH, HEADING_HEIGHT_MAX))
    return story


def render_pdf(report: Report, path: Path) -> Path:
    """Write the report as an A4 landscape PDF and return `path`."""
    for table in report.tables:
        _check_table(table)
    story = report_story(report)

    def write(target: Path) -> None:
        _Document(str(target), report).build(story, canvasmaker=_NumberedCanvas)

    return write_atomically(path, write)
