"""Render a `Report` as a printable PDF (A4 landscape) for the signed cover letter: `layout` (fonts, page,
fitted paragraphs), `columns` (widths and parts of a table), `cells` (a table as flowables), `charts`, and
`document` (the story and the file)."""

from rekap.report.pdf.document import render_pdf, report_story
from rekap.report.pdf.layout import CLIPPED

__all__ = ["CLIPPED", "render_pdf", "report_story"]
