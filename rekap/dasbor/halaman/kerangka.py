"""The frame every dashboard page shares: how a page is being made (`Konteks`), where each page lives and how
pages link to each other, the page being made (`Halaman`) and its inline style, script and CSP.

A page lives at a path (`36.02/2024/tw3/opd.html`) that is the same on the server and in a static export,
and links to the others by relative paths, so an exported folder opens from disk."""

from __future__ import annotations

import base64
import hashlib
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from rekap.contract.calendar import tanggal_panjang
from rekap.report.page import template_environment
from rekap.settings import TEMPLATES_DIR

from ..gudang import Snapshot

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
