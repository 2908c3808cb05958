"""Tables as a dashboard page shows them: a report table's cells as the report writes them, with their exact
values and links, and the dashboard's own tables read from `sql/dasbor/`. Every figure comes from the
report's own SQL (`rekap.report.build.build_table`) or from `sql/dasbor/`, and is formatted as the report
formats it (`rekap.report.common.cell_texts`): a page and the workbook agree cell for cell."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
from markupsafe import Markup, escape

from rekap.contract.tables import NUMERIC_KINDS, Column, ReportTable
from rekap.report.common import cell_texts
from rekap.warehouse.sql import query_rows


@dataclass
class Sel:
    """One cell: its text as the report writes it, its exact value (for sorting and checks), a link."""

    teks: str
    kelas: str = ""
    nilai: str | None = None
    tautan: str | None = None
    judul: str | None = None  # a tooltip (the codes behind lokasi names)


@dataclass
class Baris:
    tingkat: int
    sel: list[Sel]
    kunci: str = ""  # identifies the row for the drill-down tree

    @property
    def html(self) -> Markup:
        """The row's cells as HTML, every text escaped. Written here rather than by a template loop: a
        national pemda's pages hold tens of thousands of cells, and a template loop costs a call per cell."""
        return Markup("".join(map(_td, self.sel)))


def _td(s: Sel) -> str:
    attributes = f' class="{s.kelas}"'
    if s.nilai is not None:
        attributes += f' data-v="{escape(s.nilai)}"'
    if s.judul:
        attributes += f' title="{escape(s.judul)}"'
    body = escape(s.teks)
    if s.tautan:
        body = Markup(f'<a href="{escape(s.tautan)}">{body}</a>')
    return f"<td{attributes}>{body}</td>"


@dataclass
class Tabel:
    """A table on a page; `kunci` is the report table it shows (t0..t8) or a dashboard table's name."""

    kunci: str
    judul: str
    catatan: str
    kolom: list[tuple[str, str]]  # (label, css class)
    baris: list[Baris]
    urut: bool = True  # headers sort the rows
    pohon: bool = False  # rows fold by level (the Matriks 2 drill-down)


Tautan = Callable[[int, tuple[Any, ...]], dict[int, str]]  # (row index, row) -> {column index: path}


def tabel(
    table: ReportTable, ke: Callable[[str], str | None], tautan: Tautan | None = None, **kwargs: Any
) -> Tabel:
    """A report table as a page shows it: every cell as the report writes it, with its exact value."""
    kinds = table.cell_kinds()
    texts = cell_texts(table)
    classes = ["num" if c.kind in NUMERIC_KINDS else "teks" for c in table.columns]
    rows = []
    for r, row in enumerate(table.rows):
        links = tautan(r, row) if tautan else {}
        cells = []
        for c, value in enumerate(row):
            numeric = kinds[r][c] in NUMERIC_KINDS and value is not None
            target = links.get(c) if texts[r][c] else None
            cells.append(
                Sel(texts[r][c], classes[c], str(value) if numeric else None, ke(target) if target else None)
            )
        rows.append(Baris(table.level(r), cells))
    return Tabel(
        table.key,
        table.title,
        table.note,
        [(c.label, k) for c, k in zip(table.columns, classes, strict=True)],
        rows,
        **kwargs,
    )


def dashboard_table(
    con: duckdb.DuckDBPyConnection,
    key: str,
    title: str,
    note: str,
    columns: list[Column],
    sql: str,
    **params: Any,
) -> ReportTable:
    """A dashboard table from `sql/dasbor/<sql>.sql`, whose columns are `columns` then `tingkat`."""
    names, rows = query_rows(con, f"dasbor/{sql}", **params)
    if names != [*(c.name for c in columns), "tingkat"]:
        raise RuntimeError(f"dasbor/{sql} returns {names}, expected {[c.name for c in columns]} + tingkat")
    return ReportTable(key, title, columns, [r[:-1] for r in rows], [int(r[-1]) for r in rows], note)


C = Column
PERKEMBANGAN = [
    C("periode", "Periode"),
    C("pagu", "Pagu (Rp)", "rupiah"),
    C("realisasi_triwulan", "Realisasi dalam Triwulan (Rp)", "rupiah"),
    C("realisasi_kumulatif", "Realisasi s.d. Triwulan (Rp)", "rupiah"),
    C("persen_serapan", "Serapan (%)", "persen"),
    C("sasaran_kk", "Sasaran KK", "angka"),
    C("opd_diterima", "OPD Diterima", "angka"),
    C("opd_diharapkan", "OPD Wajib Melapor", "angka"),
]
CAKUPAN = [
    C("kode_desa", "Kode Desa"),
    C("desa", "Desa/Kelurahan"),
    C("kecamatan", "Kecamatan"),
    C("kk_miskin_ekstrem", "KK Miskin Ekstrem (Data Sasaran)", "angka"),
    C("sasaran_kk", "Sasaran KK Dijangkau", "angka"),
    C("persen_cakupan", "Cakupan KK (%)", "persen"),
    C("pagu", "Pagu (Rp)", "rupiah"),
    C("realisasi_kumulatif", "Realisasi Kumulatif (Rp)", "rupiah"),
]
NASIONAL = [
    C("kode_provinsi", "Kode"),
    C("nama_provinsi", "Provinsi"),
    C("jumlah_pemda", "Pemda", "angka"),
    C("jumlah_opd", "OPD", "angka"),
    C("opd_diterima", "OPD Diterima", "angka"),
    C("opd_belum", "OPD Belum Menyampaikan", "angka"),
    C("pagu", "Pagu (Rp)", "rupiah"),
    C("realisasi_triwulan", "Realisasi Triwulan Ini (Rp)", "rupiah"),
    C("realisasi_kumulatif", "Realisasi Kumulatif (Rp)", "rupiah"),
    C("persen_serapan", "Serapan (%)", "persen"),
]
ASAL = [
    C("kode_skpd", "Kode SKPD"),
    C("kode_sub_kegiatan", "Sub Kegiatan"),
    C("sumber_dana", "Sumber Dana"),
    C("peran", "Peran"),
    C("triwulan_berkas", "TW Berkas", "angka"),
    C("nama_berkas", "Berkas"),
    C("sheet", "Sheet"),
    C("baris", "Baris", "angka"),
    C("revisi", "Revisi", "angka"),
    C("pagu", "Pagu (Rp)", "rupiah"),
    C("realisasi_triwulan", "Realisasi Triwulan (Rp)", "rupiah"),
    C("realisasi_kumulatif", "Realisasi s.d. Triwulan (Rp)", "rupiah"),
]
