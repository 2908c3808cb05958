"""What a run shows on the Prefect server for each report it writes: one Markdown artifact with a link to
every report file, the summary (T0 and T6) and the rejected submissions. One artifact, not one per part: a
national run writes hundreds of reports, and each artifact is a call to the server. Plain functions; the
task in `tasks/triwulan.py` hands their results to Prefect."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rekap.contract.tables import Report, ReportTable
from rekap.report.common import cell_texts, report_identity
from rekap.settings import public_url

# Characters that Markdown (or HTML inside it) would interpret in a table cell.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")
FILE_KINDS = {".xlsx": "Buku kerja (xlsx)", ".html": "Halaman web (html)", ".pdf": "PDF untuk dicetak"}


def artifact_key(*parts: object) -> str:
    """A Prefect artifact key (a-z, 0-9, dashes): ("ringkasan", "36.02") -> "ringkasan-36-02"."""
    return re.sub(r"[^a-z0-9]+", "-", "-".join(str(p) for p in parts).lower()).strip("-")


def _markdown_cell(text: str) -> str:
    """Cell text that Markdown shows literally: OPD text may hold pipes, brackets or HTML."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown_table(table: ReportTable) -> str:
    """One report table as a Markdown table, numbers as Indonesians read them, subtotal rows in bold."""
    numeric = [c.kind in ("rupiah", "persen", "angka") for c in table.columns]
    lines = [
        "| " + " | ".join(_markdown_cell(c.label) for c in table.columns) + " |",
        "| " + " | ".join("---:" if n else "---" for n in numeric) + " |",
    ]
    for r, texts in enumerate(cell_texts(table)):
        cells = [_markdown_cell(text) for text in texts]
        if table.level(r):
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    if not table.rows:
        lines.append("| " + " | ".join(["Tidak ada data."] + [""] * (len(table.columns) - 1)) + " |")
    return "\n".join(lines)


# The tables the artifact shows (the rejected submissions are T6's).
SHOWN_TABLES = ("t0", "t6")


def ringkasan_markdown(report: Report, paths: list[Path], base_url: str | None = None) -> str:
    """The Markdown artifact of a report: its identity, links to its files, T0 Ringkasan, T6 Kelengkapan
    dan Validasi and the rejected submissions."""
    parts = [f"# Laporan KE {_markdown_cell(report_identity(report))}"]
    parts.append("\n".join(f"- [{_markdown_cell(link['link_text'])}]({link['link']})"
                           for link in report_links(report, paths, base_url)))  # fmt: skip
    for key in SHOWN_TABLES:
        table = report.table(key)
        parts += [f"## {_markdown_cell(table.title)}", _markdown_cell(table.note), markdown_table(table)]
    ditolak = ditolak_table(report)
    parts.append("## Berkas yang ditolak")
    if ditolak:
        names = list(ditolak[0])
        parts.append("\n".join([
            "| " + " | ".join(names) + " |",
            "| " + " | ".join("---" for _ in names) + " |",
            *("| " + " | ".join(_markdown_cell(str(row[n])) for n in names) + " |" for row in ditolak),
        ]))  # fmt: skip
    else:
        parts.append("Tidak ada berkas yang ditolak.")
    return "\n\n".join(p for p in parts if p) + "\n"


def ditolak_table(report: Report) -> list[dict[str, Any]]:
    """The rejected submissions of the quarter (latest file of each OPD, and files without a readable
    identity), as rows of a table: column label -> value."""
    table = report.table("t6")
    names = [c.name for c in table.columns]
    wanted = {"kode_skpd": "Kode SKPD", "nama_skpd": "Nama SKPD", "nama_berkas": "Nama Berkas",
              "tanggal_diterima": "Tanggal Diterima", "jumlah_error": "Error",
              "kesalahan_utama": "Kesalahan Utama"}  # fmt: skip
    rows = []
    for row in table.rows:
        values = dict(zip(names, row, strict=True))
        if values["status_berkas"] == "ditolak":
            rows.append({label: "" if values[n] is None else values[n] for n, label in wanted.items()})
    return rows


def report_links(report: Report, paths: list[Path], base_url: str | None = None) -> list[dict[str, str]]:
    """A link per report file (written at the top of the report folder): its address and its label. The
    address is under `base_url` (default: the setting `REKAP_PUBLIC_URL`, where the report folder is
    served) when there is one; else it is the file on the worker's disk, which only a browser on that
    machine can open, and the label says so."""
    base_url = base_url or public_url()
    links = []
    for path in map(Path, paths):
        suffix = path.suffix.lower()
        label = f"{FILE_KINDS.get(suffix, path.name)}: {path.name}"
        if base_url:
            link = base_url.rstrip("/") + "/" + quote(path.name)
        else:
            link = path.resolve().as_uri()
            label += (
                f" (berkas di komputer worker, {path.resolve().parent}; hanya dapat dibuka di komputer itu)"
            )
        links.append({"link": link, "link_text": label})
    return links
