"""The pages above a pemda: a province beside its kab/kota, the nation by province, and the home page."""

from __future__ import annotations

from typing import Any

from rekap.contract.calendar import triwulan_romawi
from rekap.report.build import build_table, pemda_names
from rekap.warehouse.sql import query_rows

from .kerangka import Halaman, TidakAda, nasional_path, periode_path, provinsi_path
from .tabel import NASIONAL, dashboard_table, tabel


def provinsi(h: Halaman, kode: str, tahun: int, tw: int) -> str:
    """Provinsi: a province's own OPDs beside each of its kab/kota (T8 of its report), side by side."""
    con = h.kt.con
    t8 = build_table(con, "t8", kode, tahun, tw)
    if not t8.rows or all(t8.level(r) == 1 for r in range(len(t8.rows))):
        raise TidakAda(f"Tidak ada data provinsi {kode} untuk triwulan {tw} tahun {tahun}.")
    nama = pemda_names(con, [kode], tahun)[kode]
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
