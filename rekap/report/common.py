"""Render a `Report` as the workbook and as a self-contained HTML page.

Renderers only format and lay out: every figure comes from the SQL layer (see `rekap.contract.tables`).
Text typed by an OPD is never trusted: the workbook stores it as plain strings (never formulas)
and the HTML page escapes it, including inside the SVG charts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rekap.contract.calendar import akhir_triwulan, triwulan_romawi
from rekap.contract.tables import Report, ReportTable

LAPORAN_TITLE = "Laporan Realisasi Anggaran Penghapusan Kemiskinan Ekstrem"


# A small, sober palette shared by the workbook and the page (the page repeats it in its CSS).
INK = "#1F2933"


NAVY = "#1F4E79"


MUTED = "#52606D"


GRID = "#A6B1BD"


HEADER_FILL = "#DCE3ED"


LEVEL_FILLS = {1: "#DCE3ED", 2: "#E9EEF4", 3: "#F3F6F9"}  # deeper subtotals: lighter


DEEPEST_FILL = "#F8FAFB"


def report_identity(report: Report) -> str:
    """The identity line of the report, e.g. "Kabupaten Lebak (36.02) - Tahun 2024 - Triwulan III"."""
    romawi = triwulan_romawi(report.triwulan)
    return f"{report.nama_pemda} ({report.kode_pemda}) - Tahun {report.tahun} - Triwulan {romawi}"


def report_timestamp(report: Report) -> datetime:
    """A fixed moment for file metadata, so that the same report gives the same bytes."""
    return datetime.combine(akhir_triwulan(report.tahun, report.triwulan), datetime.min.time())


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
    """Every cell of `table` as readers see it (`format_cell`), row by row (`ReportTable.texts`)."""
    return table.texts
