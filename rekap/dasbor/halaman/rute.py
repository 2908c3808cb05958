"""Routing: one table of paths for the server and the export, and the pages of one pemda and quarter."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from rekap.contract.calendar import TAHUN_PATTERN
from rekap.report.build import build_table, is_province
from rekap.report.letters import build_letters
from rekap.warehouse.sql import query_rows

from .kerangka import (
    Halaman,
    Konteks,
    TidakAda,
    asal_path,
    periode_path,
    provinsi_path,
)
from .pemda import MENU, asal, kelengkapan, lokasi, opd, opd_rinci, ringkasan, surat
from .wilayah import beranda, nasional, provinsi

# The parts of a page's path: codes as Kemendagri and SIPD write them, and nothing else reaches a query.
_PEMDA = r"(?P<pemda>[0-9]{2}(?:\.[0-9]{2})?)"
_PERIODE = rf"(?P<tahun>{TAHUN_PATTERN})/tw(?P<tw>[1-4])"
_SKPD = r"[0-9]\.[0-9]{2}\.[0-9]\.[0-9]{2}\.[0-9]\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}"
_SUB = r"[0-9]\.[0-9]{2}\.[0-9]{2}\.[0-9]\.[0-9]{2}\.[0-9]{4}"


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
        for s in sorted({surat.kode_skpd for surat in build_letters(con, kode, tahun, tw)})
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
