"""A pemda's pages for one quarter: Ringkasan, OPD (and each OPD's Matriks 2), Lokasi, Kelengkapan (and each
rejected OPD's letter), and Asal (the file rows behind a figure)."""

from __future__ import annotations

from typing import Any

import duckdb

from rekap.contract.calendar import triwulan_romawi
from rekap.contract.format import format_cell, format_rupiah_singkat
from rekap.contract.tables import ReportTable
from rekap.report.build import build_chart, build_table, pemda_names
from rekap.report.charts import CHARTS
from rekap.report.letters import build_letters, render_letter_html
from rekap.warehouse.sql import query_rows

from .kerangka import Halaman, TidakAda, asal_path, nasional_path, periode_path, provinsi_path, relatif
from .tabel import ASAL, CAKUPAN, PERKEMBANGAN, Sel, Tabel, dashboard_table, tabel


def _pemda_header(h: Halaman, kode: str, tahun: int, tw: int, aktif: str) -> None:
    """The context of a pemda's page: its name, its quarters, the menu. Raises TidakAda for a pemda or
    quarter the warehouse does not hold."""
    con = h.kt.con
    periode = [(int(t), int(q)) for t, q in query_rows(con, "dasbor/periode_pemda", kode_pemda=kode)[1]]
    if (tahun, tw) not in periode:
        raise TidakAda(f"Tidak ada data pemda {kode} untuk triwulan {tw} tahun {tahun}.")
    nama = pemda_names(con, [kode], tahun)[kode]
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
    rows = build_chart(con, name, kode, tahun, tw)
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
    with_letter = {surat.kode_skpd for surat in build_letters(con, kode, tahun, tw)}

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
