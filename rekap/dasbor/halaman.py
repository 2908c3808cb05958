"""The dashboard's pages: where each one lives, what it reads and how it is laid out.

A page lives at a path (`36.02/2024/tw3/opd.html`) that is the same on the server and in a static export,
and links to the others by relative paths, so an exported folder opens from disk. Every figure comes from
the report's own SQL (`rekap.report.build_table`, the chart queries of `sql/report/`) or from `sql/dasbor/`,
and is formatted as the report formats it (`rekap.render.cell_texts`): a page and the workbook agree cell
for cell.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
from markupsafe import Markup, escape

from rekap.contract.calendar import triwulan_romawi
from rekap.contract.format import format_cell, format_rupiah_singkat
from rekap.contract.tables import NUMERIC_KINDS, Column, ReportTable
from rekap.report.build import build_table, is_province
from rekap.report.charts import CHARTS
from rekap.report.common import cell_texts
from rekap.report.letters import build_letters, render_letter_html, tanggal_panjang
from rekap.report.page import template_environment
from rekap.settings import TEMPLATES_DIR
from rekap.warehouse.sql import query_rows

from .gudang import Snapshot

ASET = TEMPLATES_DIR / "dasbor"
JUDUL = "Dasbor Realisasi Anggaran Penghapusan Kemiskinan Ekstrem"


class TidakAda(Exception):
    """No such page (an unknown path, or a pemda or quarter the warehouse does not hold)."""


@dataclass(frozen=True)
class Konteks:
    """How a page is being made: from which publish, and for the live server or a static export."""

    snap: Snapshot
    langsung: bool = True  # served live: the page checks for a newer publish
    unduh: bool = False  # originals may be downloaded (only ever with the token)
    ada: Callable[[str], bool] | None = None  # in an export, whether a page is part of it

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The snapshot's cursor."""
        return self.snap.con


# --- tables as a page shows them -------------------------------------------------------------------


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
        national pemda's pages hold tens of thousands of cells, and this is several times faster."""
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


# --- paths ------------------------------------------------------------------------------------------

# The parts of a page's path: codes as Kemendagri and SIPD write them, and nothing else reaches a query.
_PEMDA = r"(?P<pemda>[0-9]{2}(?:\.[0-9]{2})?)"
_PERIODE = r"(?P<tahun>20[23][0-9])/tw(?P<tw>[1-4])"
_SKPD = r"[0-9]\.[0-9]{2}\.[0-9]\.[0-9]{2}\.[0-9]\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}"
_SUB = r"[0-9]\.[0-9]{2}\.[0-9]{2}\.[0-9]\.[0-9]{2}\.[0-9]{4}"


def periode_path(kode: str, tahun: int, triwulan: int, halaman: str) -> str:
    """`36.02/2024/tw3/<halaman>.html`."""
    return f"{kode}/{tahun}/tw{triwulan}/{halaman}.html"


def provinsi_path(kode: str, tahun: int, triwulan: int) -> str:
    """`provinsi/36/2024/tw3.html`."""
    return f"provinsi/{kode}/{tahun}/tw{triwulan}.html"


def nasional_path(tahun: int, triwulan: int) -> str:
    """`nasional/2024/tw3.html`."""
    return f"nasional/{tahun}/tw{triwulan}.html"


def asal_path(kode: str, tahun: int, triwulan: int, *key: str) -> str:
    """The rows behind a figure: the pemda's total, an OPD's, a sub kegiatan's, or one sumber dana's."""
    return periode_path(kode, tahun, triwulan, "/".join(("asal", *key)) if key else "asal")


def relatif(dari: str, ke: str) -> str:
    """The link from the page at `dari` to the page at `ke` (both relative to the site's root)."""
    return posixpath.relpath(ke, posixpath.dirname(dari) or ".")


# --- the pages -------------------------------------------------------------------------------------


def _bulan(moment: Any) -> str:
    return f"{tanggal_panjang(moment)} {moment:%H.%M}"


@dataclass
class Halaman:
    """A page being made: its path, and the context every page shares."""

    kt: Konteks
    path: str
    isi: dict[str, Any] = field(default_factory=dict)

    def ke(self, target: str) -> str | None:
        """The relative link to `target`, or None when it is not part of this export."""
        if self.kt.ada is not None and not self.kt.ada(target):
            return None
        return relatif(self.path, target)

    def render(self, template: str, **isi: Any) -> str:
        """The page as HTML."""
        context = {
            "nama_pemda": None,
            "kode_pemda": None,
            "tahun": None,
            "triwulan": None,
            "menu": [],
            "periode": [],
            "api": relatif(self.path, "api/versi") if self.kt.langsung else None,
            "judul": JUDUL,
            "ke": self.ke,
            "path": self.path,
            "versi": self.kt.snap.versi,
            "terbit": _bulan(self.kt.snap.terbit),
            "langsung": self.kt.langsung,
            "css": ASET_CSS,
            "js": ASET_JS,
            "csp": CSP,
            "beranda": self.ke("index.html"),
            **self.isi,
            **isi,
        }
        return template_environment().get_template(f"dasbor/{template}").render(context)


def _pemda_header(h: Halaman, kode: str, tahun: int, tw: int, aktif: str) -> None:
    """The context of a pemda's page: its name, its quarters, the menu. Raises TidakAda for a pemda or
    quarter the warehouse does not hold."""
    con = h.kt.con
    periode = [(int(t), int(q)) for t, q in query_rows(con, "dasbor/periode_pemda", kode_pemda=kode)[1]]
    if (tahun, tw) not in periode:
        raise TidakAda(f"Tidak ada data pemda {kode} untuk triwulan {tw} tahun {tahun}.")
    (nama,) = query_rows(con, "report/identitas", kode_pemda=kode, tahun=tahun, triwulan=tw)[1][0]
    provinsi = kode.split(".")[0]
    menu = [(label, periode_path(kode, tahun, tw, name), name == aktif) for name, label in MENU]
    menu += [
        ("Provinsi", provinsi_path(provinsi, tahun, tw), aktif == "provinsi"),
        ("Nasional", nasional_path(tahun, tw), aktif == "nasional"),
    ]
    h.isi.update(
        kode_pemda=kode,
        nama_pemda=nama,
        tahun=tahun,
        triwulan=triwulan_romawi(tw),
        menu=[(label, h.ke(p), on) for label, p, on in menu if h.ke(p)],
        periode=[
            (f"TW {triwulan_romawi(q)} {t}", h.ke(_same_page(h.path, kode, t, q)), (t, q) == (tahun, tw))
            for t, q in periode
        ],
    )


MENU = (
    ("ringkasan", "Ringkasan"),
    ("opd", "OPD"),
    ("lokasi", "Lokasi"),
    ("kelengkapan", "Kelengkapan"),
    ("asal", "Asal"),
)


def _same_page(path: str, kode: str, tahun: int, tw: int) -> str:
    """The page of the same kind for another quarter (a drill-down page goes to that quarter's list)."""
    parts = path.split("/")
    name = parts[3].removesuffix(".html") if len(parts) == 4 else "ringkasan"
    return periode_path(kode, tahun, tw, name if name in dict(MENU) else "ringkasan")


def _chart(con: duckdb.DuckDBPyConnection, name: str, kode: str, tahun: int, tw: int) -> Any:
    rows = query_rows(con, f"report/chart_{name}", kode_pemda=kode, tahun=tahun, triwulan=tw)[1]
    return CHARTS[name](rows, triwulan_romawi(tw)) if rows else None


def _t0_value(t0: ReportTable, uraian: str) -> tuple[Any, str]:
    """(exact value, text as the report writes it) of a T0 figure for this quarter."""
    i = [c.name for c in t0.columns].index("triwulan_ini")
    for r, row in enumerate(t0.rows):
        if row[0] == uraian:
            return row[i], format_cell(row[i], t0.kind(r, i))
    return None, ""


def _angka(t0: ReportTable, label: str, uraian: str, unit: str) -> tuple[str, str, str, str]:
    """A headline figure: (label, short text, the report's text, exact value)."""
    value, text = _t0_value(t0, uraian)
    if value is None:
        return label, "-", "", ""
    short = format_rupiah_singkat(value) if unit == "Rp" else f"{text}{unit}"
    return label, short, text, str(value)


def ringkasan(h: Halaman, kode: str, tahun: int, tw: int) -> str:
    """Ringkasan: the headline figures, the quarters side by side, the strategies, the flags of T7."""
    _pemda_header(h, kode, tahun, tw, "ringkasan")
    con = h.kt.con
    t0, t1, t7 = (build_table(con, key, kode, tahun, tw) for key in ("t0", "t1", "t7"))
    perkembangan = dashboard_table(
        con,
        "perkembangan",
        "Perkembangan per Triwulan",
        "Triwulan tahun ini dan triwulan yang sama tahun-tahun sebelumnya; angka tiap baris = T0 "
        "triwulan itu",
        PERKEMBANGAN,
        "perkembangan",
        kode_pemda=kode,
        tahun=tahun,
        triwulan=tw,
    )

    def t7_links(r: int, row: tuple[Any, ...]) -> dict[int, str]:
        links = {1: periode_path(kode, tahun, tw, f"opd/{row[1]}")} if row[1] else {}
        if row[1] and row[3] and row[5]:
            links[3] = asal_path(kode, tahun, tw, row[1], row[3], row[5])
        return links

    angka = [
        ("Pagu", "Total pagu (Rp)", "Rp"),
        ("Realisasi s.d. triwulan", "Realisasi s.d. triwulan (Rp)", "Rp"),
        ("Serapan", "Serapan anggaran (%)", "%"),
        ("Sasaran KK dijangkau", "Sasaran KK yang dijangkau", " KK"),
        ("OPD diterima", "OPD diterima", ""),
        ("OPD belum menyampaikan", "OPD belum menyampaikan", ""),
    ]
    return h.render(
        "ringkasan.html.j2",
        judul_halaman="Ringkasan",
        angka=[_angka(t0, label, uraian, unit) for label, uraian, unit in angka],
        asal=h.ke(asal_path(kode, tahun, tw)),
        perkembangan=tabel(perkembangan, h.ke, urut=False),
        tabel=[tabel(t1, h.ke, urut=False), tabel(t0, h.ke, urut=False)],
        catatan=tabel(t7, h.ke, t7_links),
        grafik=[g for g in (_chart(con, n, kode, tahun, tw) for n in ("strategi", "triwulan")) if g],
    )


def opd(h: Halaman, kode: str, tahun: int, tw: int) -> str:
    """OPD: every OPD's pagu, realisation by quarter and status (T2), each leading to its Matriks 2."""
    _pemda_header(h, kode, tahun, tw, "opd")
    t2 = build_table(h.kt.con, "t2", kode, tahun, tw)

    def links(r: int, row: tuple[Any, ...]) -> dict[int, str]:
        if row[0] is None:
            return {1: asal_path(kode, tahun, tw)}
        return {0: periode_path(kode, tahun, tw, f"opd/{row[0]}"), 11: asal_path(kode, tahun, tw, row[0])}

    return h.render(
        "opd.html.j2",
        judul_halaman="OPD",
        tabel=tabel(t2, h.ke, links),
        grafik=_chart(h.kt.con, "serapan_opd", kode, tahun, tw),
    )


def opd_rinci(h: Halaman, kode: str, tahun: int, tw: int, skpd: str) -> str:
    """One OPD's Matriks 2: program > kegiatan > sub kegiatan x sumber dana, the rows of T3 for it."""
    _pemda_header(h, kode, tahun, tw, "opd")
    con = h.kt.con
    t2 = build_table(con, "t2", kode, tahun, tw)
    mine = [r for r, row in enumerate(t2.rows) if row[0] == skpd]
    if not mine:
        raise TidakAda(f"OPD {skpd} tidak ada di pemda {kode} triwulan {tw} tahun {tahun}.")
    t3 = build_table(con, "t3", kode, tahun, tw)
    names = [c.name for c in t3.columns]
    start = next((r for r, row in enumerate(t3.rows) if t3.level(r) == 2 and row[0] == skpd), None)
    rows = []
    if start is not None:
        end = next((r for r in range(start + 1, len(t3.rows)) if t3.level(r) in (1, 2)), len(t3.rows))
        rows = list(range(start, end))
    rincian = ReportTable(
        "t3", t3.title, t3.columns, [t3.rows[r] for r in rows], [t3.level(r) for r in rows], t3.note
    )
    i_kode, i_dana, i_lokasi = names.index("kode"), names.index("sumber_dana"), names.index("lokasi")

    def links(r: int, row: tuple[Any, ...]) -> dict[int, str]:
        level = rincian.level(r)
        if level == 2:
            return {0: asal_path(kode, tahun, tw, skpd)}
        if level == 5:
            return {0: asal_path(kode, tahun, tw, skpd, row[i_kode])}
        if level == 0:
            return {0: asal_path(kode, tahun, tw, skpd, row[i_kode], row[i_dana])}
        return {}

    shown = tabel(rincian, h.ke, links, urut=False, pohon=True)
    _name_places(con, shown, i_lokasi)
    for baris, row in zip(shown.baris, rincian.rows, strict=True):
        baris.kunci = row[i_kode] or ""
    return h.render(
        "opd_rinci.html.j2",
        judul_halaman=f"OPD {t2.rows[mine[0]][1]}",
        ringkas=tabel(
            ReportTable("t2", t2.title, t2.columns, [t2.rows[mine[0]]], [0], t2.note), h.ke, urut=False
        ),
        tabel=shown,
        kode_skpd=skpd,
    )


def _name_places(con: duckdb.DuckDBPyConnection, shown: Tabel, column: int) -> None:
    """Show the lokasi column by name (the codes as its tooltip): a TKPKD reads names."""
    codes = {k for b in shown.baris for k in b.sel[column].teks.split(";") if k and k != "SEMUA"}
    if not codes:
        return
    names = dict(query_rows(con, "dasbor/nama_wilayah", kode=sorted(codes))[1])
    for b in shown.baris:
        cell = b.sel[column]
        if cell.teks:
            cell.judul = cell.teks
            cell.teks = "; ".join(
                "Semua wilayah" if k == "SEMUA" else names.get(k, k) for k in cell.teks.split(";")
            )


def lokasi(h: Halaman, kode: str, tahun: int, tw: int) -> str:
    """Lokasi: T5 by kecamatan and desa name, the lokasi chart, and the coverage of KE households per desa."""
    _pemda_header(h, kode, tahun, tw, "lokasi")
    con = h.kt.con
    t5 = build_table(con, "t5", kode, tahun, tw)
    cakupan = dashboard_table(
        con,
        "cakupan",
        "Cakupan KK Miskin Ekstrem per Desa",
        "Desa dengan data sasaran (rekap sasaran) atau dengan baris yang lokasinya desa itu saja; angka "
        "sama dengan baris desa di T5",
        CAKUPAN,
        "cakupan_desa",
        kode_pemda=kode,
        tahun=tahun,
        triwulan=tw,
    )
    return h.render(
        "lokasi.html.j2",
        judul_halaman="Lokasi",
        tabel=tabel(t5, h.ke, urut=False),
        cakupan=tabel(cakupan, h.ke) if cakupan.rows else None,
        ada_sasaran=any(row[3] is not None for row in cakupan.rows),
        grafik=_chart(con, "lokasi", kode, tahun, tw),
    )


def kelengkapan(h: Halaman, kode: str, tahun: int, tw: int) -> str:
    """Kelengkapan: which OPD sent, when, which revision, accepted or rejected and why, with its letter."""
    _pemda_header(h, kode, tahun, tw, "kelengkapan")
    con = h.kt.con
    t6 = build_table(con, "t6", kode, tahun, tw)
    params = {"kode_pemda": kode, "tahun": tahun, "triwulan": tw}
    with_letter = {r[1] for r in query_rows(con, "letters/berkas_ditolak", **params)[1]}

    def links(r: int, row: tuple[Any, ...]) -> dict[int, str]:
        found = {0: periode_path(kode, tahun, tw, f"opd/{row[0]}")} if row[0] else {}
        if row[0] in with_letter:
            found[6] = periode_path(kode, tahun, tw, f"surat/{row[0]}")
        return found

    letters = [(s, h.ke(periode_path(kode, tahun, tw, f"surat/{s}"))) for s in sorted(with_letter)]
    return h.render(
        "kelengkapan.html.j2", judul_halaman="Kelengkapan", tabel=tabel(t6, h.ke, links), surat=letters
    )


def surat(h: Halaman, kode: str, tahun: int, tw: int, skpd: str) -> str:
    """The feedback letter to one OPD whose file of the quarter was rejected (the same page as the run's)."""
    _pemda_header(h, kode, tahun, tw, "kelengkapan")
    for letter in build_letters(h.kt.con, kode, tahun, tw):
        if letter.kode_skpd == skpd:
            return render_letter_html(letter)
    raise TidakAda(f"Tidak ada surat untuk OPD {skpd} pada triwulan ini.")


def asal(
    h: Halaman,
    kode: str,
    tahun: int,
    tw: int,
    skpd: str | None = None,
    sub: str | None = None,
    dana: str | None = None,
) -> str:
    """Asal: the file rows (file, sheet, row, revision) behind a figure, as `rekap asal` prints them."""
    _pemda_header(h, kode, tahun, tw, "asal")
    params = {
        "kode_pemda": kode,
        "tahun": tahun,
        "triwulan": tw,
        "kode_skpd": skpd,
        "kode_sub_kegiatan": sub,
        "sumber_dana": dana,
    }
    names, rows = query_rows(h.kt.con, "query/asal", **params)
    if (skpd or sub or dana) and not rows:
        raise TidakAda("Tidak ada baris berkas untuk angka tersebut.")
    wanted = [c.name for c in ASAL]
    table = ReportTable(
        "asal", "Baris Berkas di Balik Angka", ASAL, [tuple(r[names.index(n)] for n in wanted) for r in rows]
    )
    hashes = [r[names.index("file_hash")] for r in rows]
    shown = tabel(table, h.ke)
    if h.kt.unduh and h.kt.langsung:
        shown.kolom.append(("Berkas Asli", "teks"))
        for b, file_hash in zip(shown.baris, hashes, strict=True):
            b.sel.append(Sel("unduh", "teks", tautan=relatif(h.path, f"berkas/{file_hash}")))
    figure = " · ".join(p for p in (skpd, sub, dana) if p) or "seluruh pemda"
    return h.render(
        "asal.html.j2",
        judul_halaman=f"Asal angka: {figure}",
        tabel=shown,
        kunci=figure,
        opd=h.ke(periode_path(kode, tahun, tw, f"opd/{skpd}")) if skpd else None,
    )


def provinsi(h: Halaman, kode: str, tahun: int, tw: int) -> str:
    """Provinsi: a province's own OPDs beside each of its kab/kota (T8 of its report), side by side."""
    con = h.kt.con
    t8 = build_table(con, "t8", kode, tahun, tw)
    if not t8.rows or all(t8.level(r) == 1 for r in range(len(t8.rows))):
        raise TidakAda(f"Tidak ada data provinsi {kode} untuk triwulan {tw} tahun {tahun}.")
    (nama,) = query_rows(con, "report/identitas", kode_pemda=kode, tahun=tahun, triwulan=tw)[1][0]
    if nama == kode:
        nama = f"Provinsi {kode}"

    def links(r: int, row: tuple[Any, ...]) -> dict[int, str]:
        return {1: periode_path(row[0], tahun, tw, "ringkasan")} if row[0] else {}

    h.isi.update(
        kode_pemda=kode,
        nama_pemda=nama,
        tahun=tahun,
        triwulan=triwulan_romawi(tw),
        periode=[],
        menu=[
            (label, h.ke(p), on)
            for label, p, on in (
                ("Provinsi", provinsi_path(kode, tahun, tw), True),
                ("Nasional", nasional_path(tahun, tw), False),
            )
            if h.ke(p)
        ],
    )
    return h.render(
        "wilayah.html.j2", judul_halaman="Provinsi dan Kabupaten/Kota", tabel=tabel(t8, h.ke, links)
    )


def nasional(h: Halaman, tahun: int, tw: int) -> str:
    """Nasional: every province the warehouse holds, each with its kab/kota rolled up, and the total."""
    table = dashboard_table(
        h.kt.con,
        "nasional",
        "Nasional per Provinsi",
        "OPD provinsi dan seluruh kabupaten/kota di gudang data ini, per provinsi (sama dengan baris "
        "Jumlah T8)",
        NASIONAL,
        "nasional",
        tahun=tahun,
        triwulan=tw,
    )
    if not table.rows:
        raise TidakAda(f"Tidak ada data untuk triwulan {tw} tahun {tahun}.")

    def links(r: int, row: tuple[Any, ...]) -> dict[int, str]:
        return {1: provinsi_path(row[0], tahun, tw)} if table.level(r) == 0 else {}

    h.isi.update(
        kode_pemda="", nama_pemda="Nasional", tahun=tahun, triwulan=triwulan_romawi(tw), periode=[], menu=[]
    )
    return h.render("wilayah.html.j2", judul_halaman="Nasional", tabel=tabel(table, h.ke, links))


def beranda(h: Halaman) -> str:
    """Beranda: every pemda the warehouse holds, by province, each leading to its latest quarter."""
    names, rows = query_rows(h.kt.con, "dasbor/pemda")
    pemda = [dict(zip(names, r, strict=True)) for r in rows]
    by_province: dict[str, dict[str, Any]] = {}
    if h.kt.ada is not None:  # an export lists only what it holds
        pemda = [
            p for p in pemda if h.ke(periode_path(p["kode_pemda"], p["tahun"], p["triwulan"], "ringkasan"))
        ]
    for p in pemda:
        entry = by_province.setdefault(p["kode_provinsi"], {"nama": p["nama_provinsi"], "pemda": []})
        entry["pemda"].append(
            (
                p["kode_pemda"],
                p["nama_pemda"],
                f"TW {triwulan_romawi(p['triwulan'])} {p['tahun']}",
                h.ke(periode_path(p["kode_pemda"], p["tahun"], p["triwulan"], "ringkasan")),
            )
        )
    latest = max(((p["tahun"], p["triwulan"]) for p in pemda), default=None)
    for kode, entry in by_province.items():
        own = max((p["tahun"], p["triwulan"]) for p in pemda if p["kode_provinsi"] == kode)
        entry["tautan"] = h.ke(provinsi_path(kode, *own))
    return h.render(
        "beranda.html.j2",
        judul_halaman="Beranda",
        provinsi=by_province,
        nasional=h.ke(nasional_path(*latest)) if latest else None,
        jumlah=len(pemda),
    )


# --- routing: one table of paths for the server and the export ----------------------------------------


@dataclass(frozen=True)
class Rute:
    pola: re.Pattern[str]
    bangun: Callable[..., str]


def _rute(pattern: str, bangun: Callable[..., str]) -> Rute:
    return Rute(re.compile(pattern), bangun)


RUTE = (
    _rute(r"index\.html", beranda),
    _rute(rf"{_PEMDA}/{_PERIODE}/ringkasan\.html", ringkasan),
    _rute(rf"{_PEMDA}/{_PERIODE}/opd\.html", opd),
    _rute(rf"{_PEMDA}/{_PERIODE}/opd/(?P<skpd>{_SKPD})\.html", opd_rinci),
    _rute(rf"{_PEMDA}/{_PERIODE}/lokasi\.html", lokasi),
    _rute(rf"{_PEMDA}/{_PERIODE}/kelengkapan\.html", kelengkapan),
    _rute(rf"{_PEMDA}/{_PERIODE}/surat/(?P<skpd>{_SKPD})\.html", surat),
    _rute(rf"{_PEMDA}/{_PERIODE}/asal\.html", asal),
    _rute(rf"{_PEMDA}/{_PERIODE}/asal/(?P<skpd>{_SKPD})\.html", asal),
    _rute(rf"{_PEMDA}/{_PERIODE}/asal/(?P<skpd>{_SKPD})/(?P<sub>{_SUB})\.html", asal),
    _rute(
        rf"{_PEMDA}/{_PERIODE}/asal/(?P<skpd>{_SKPD})/(?P<sub>{_SUB})/(?P<dana>[A-Z_]{{2,20}})\.html", asal
    ),
    _rute(rf"provinsi/(?P<pemda>[0-9]{{2}})/{_PERIODE}\.html", provinsi),
    _rute(rf"nasional/{_PERIODE}\.html", nasional),
)


def render_page(kt: Konteks, path: str) -> str:
    """The HTML of the page at `path` (relative to the site's root); TidakAda when there is none."""
    for rute in RUTE:
        match = rute.pola.fullmatch(path)
        if match:
            args = {k: v for k, v in match.groupdict().items() if v is not None}
            h = Halaman(kt, path)
            if "tw" in args:
                args["tahun"], args["tw"] = int(args["tahun"]), int(args["tw"])
            if "pemda" in args:
                args["kode"] = args.pop("pemda")
            return rute.bangun(h, **args)
    raise TidakAda(f"Halaman tidak ditemukan: {path}")


def pemda_pages(con: duckdb.DuckDBPyConnection, kode: str, tahun: int, tw: int) -> list[str]:
    """Every page of one pemda and quarter (for the static export): the lists, each OPD's Matriks 2 and
    letter, and the rows behind every figure down to a sub kegiatan and sumber dana."""
    pages = [periode_path(kode, tahun, tw, name) for name, _ in MENU]
    t2 = build_table(con, "t2", kode, tahun, tw)
    pages += [periode_path(kode, tahun, tw, f"opd/{row[0]}") for row in t2.rows if row[0]]
    params = {"kode_pemda": kode, "tahun": tahun, "triwulan": tw}
    pages += [
        periode_path(kode, tahun, tw, f"surat/{s}")
        for s in sorted({r[1] for r in query_rows(con, "letters/berkas_ditolak", **params)[1]})
    ]
    names, rows = query_rows(
        con, "query/asal", **params, kode_skpd=None, kode_sub_kegiatan=None, sumber_dana=None
    )
    keys = [
        (r[names.index("kode_skpd")], r[names.index("kode_sub_kegiatan")], r[names.index("sumber_dana")])
        for r in rows
    ]
    for depth in (1, 2, 3):
        pages += [asal_path(kode, tahun, tw, *key[:depth]) for key in sorted({k[:depth] for k in keys})]
    if is_province(kode):
        pages.append(provinsi_path(kode, tahun, tw))
    return pages


def inline_hash(text: str) -> str:
    """The CSP source of an inline script: `'sha256-...'`."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


ASET_CSS = (ASET / "dasbor.css").read_text(encoding="utf-8")
ASET_JS = (ASET / "dasbor.js").read_text(encoding="utf-8")
# Every page carries its style and its one script inline (an exported page opens alone, from disk); the
# script is allowed by its hash, nothing else is: no other script, no request outside the page but the
# live check of the served dashboard ('self').
CSP = (
    f"default-src 'none'; script-src {inline_hash(ASET_JS)}; style-src 'unsafe-inline'; img-src data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)


def render_galat(path: str, judul: str, pesan: str) -> str:
    """A page saying why the page at `path` could not be made."""
    return (
        template_environment()
        .get_template("dasbor/galat.html.j2")
        .render(
            judul=JUDUL, judul_halaman=judul, pesan=pesan, css=ASET_CSS, beranda=relatif(path, "index.html")
        )
    )
