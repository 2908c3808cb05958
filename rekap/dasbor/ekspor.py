"""`rekap dasbor --ekspor DIR`: the dashboard's pages of one pemda written as a self-contained folder that
opens from disk or from any web server (a pemda's website, an e-mail attachment) and asks nothing of any
other: the pages carry their style, script and charts inline and link to each other by relative paths. The
pages are those the server makes (`halaman.render_page`), without the live check and without downloads."""

from __future__ import annotations

import shutil
from pathlib import Path

from rekap.files import write_atomically
from rekap.warehouse.sql import query_rows

from .gudang import Gudang
from .halaman import Konteks, TidakAda, pemda_pages, render_page

MARKER = ".rekap-dasbor"  # names a folder an export wrote, which the next export may replace


def export_pemda(
    warehouse: Path, out: Path, kode_pemda: str, tahun: int | None = None, triwulan: int | None = None
) -> list[Path]:
    """Write every page of one pemda (all its quarters, or those of `tahun` / `triwulan`) under `out`, with
    `index.html` listing them; return the files written. `out` must be empty, missing, or an earlier export
    (which is replaced)."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise FileExistsError(f"Folder tujuan tidak kosong dan bukan hasil ekspor dasbor: {out}")
    gudang = Gudang(warehouse)
    try:
        with gudang.snapshot() as snap:
            periode = [
                (int(t), int(q))
                for t, q in query_rows(snap.con, "dasbor/periode_pemda", kode_pemda=kode_pemda)[1]
                if (tahun is None or t == tahun) and (triwulan is None or q == triwulan)
            ]
            if not periode:
                raise TidakAda(f"Gudang data tidak berisi pemda {kode_pemda} untuk periode itu.")
            pages = ["index.html"]
            for t, q in periode:
                pages += pemda_pages(snap.con, kode_pemda, t, q)
            exported = set(pages)
            kt = Konteks(snap, langsung=False, unduh=False, ada=exported.__contains__)
            html = {page: render_page(kt, page) for page in pages}
    finally:
        gudang.close()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("Ekspor dasbor rekap-ke; folder ini ditulis ulang oleh ekspor berikutnya.\n")
    written = []
    for page, text in html.items():
        data = text.encode("utf-8")
        written.append(write_atomically(out / page, lambda tmp, data=data: tmp.write_bytes(data)))
    return written
