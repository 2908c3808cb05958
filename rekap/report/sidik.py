"""Which reports and letters a run must write: those whose inputs changed since they were written.

A report's fingerprint joins what it reads in the warehouse (`sql/report/sidik.sql`, every pemda of a run
in one query) with the code and templates that draw it; each report folder keeps, per quarter, the
fingerprint each pemda's files were written from and what they looked like on disk
(`.sidik-laporan_<tahun>_tw<q>.json`). A pemda's report (workbook, page, PDF) is written again when its
fingerprint differs or one of its files is gone or was changed since; its letters and steward's list the
same, apart: they also depend on which files this run received and passed over.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path

import duckdb

from rekap.files import write_atomically
from rekap.settings import REPO, SQL_DIR, TEMPLATES_DIR
from rekap.warehouse.sql import query_rows

# What draws a report or a letter besides the warehouse: the report stage, the facts it formats with, its
# templates and queries, and the libraries that write the files.
RENDERER_SOURCES = (REPO / "rekap" / "report", REPO / "rekap" / "contract", TEMPLATES_DIR,
                    SQL_DIR / "report", SQL_DIR / "letters")  # fmt: skip
RENDERER_LIBRARIES = ("reportlab", "xlsxwriter", "jinja2", "markupsafe")


@cache
def renderer_digest() -> str:
    """The fingerprint of the code, templates, queries and library versions that draw the reports."""
    digest = hashlib.sha256()
    for root in RENDERER_SOURCES:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(root.parent)).encode() + b"\0" + path.read_bytes() + b"\0")
    for library in RENDERER_LIBRARIES:
        digest.update(f"{library}=={version(library)}\0".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Sidik:
    """The fingerprints of one pemda's report and of its letters and steward's list."""

    laporan: str
    surat: str


def fingerprints(
    con: duckdb.DuckDBPyConnection, pemda: list[str], tahun: int, triwulan: int, run_id: str | None
) -> dict[str, Sidik]:
    """The fingerprint of every pemda's report and letters, read in one query."""
    code = renderer_digest()
    _, rows = query_rows(con, "report/sidik", pemda=pemda, tahun=tahun, triwulan=triwulan, run_id=run_id)
    return {kode: Sidik(_joined(code, laporan), _joined(code, surat)) for kode, laporan, surat in rows}


def _joined(code: str, data: str) -> str:
    return hashlib.sha256(f"{code}|{data}".encode()).hexdigest()


def _on_disk(path: Path) -> list[int] | None:
    """What a written file looks like on disk (size, modification time), None when it is gone."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


@dataclass
class Recorded:
    """A part (report or letters) as written: its fingerprint and its files as they were left."""

    sidik: str
    files: dict[str, list[int]]  # name relative to the report folder -> (size, mtime)


@dataclass
class Manifest:
    """What the report folder holds for one quarter, per pemda: its report and its letters as written."""

    path: Path
    out_dir: Path
    laporan: dict[str, Recorded] = field(default_factory=dict)
    surat: dict[str, Recorded] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path, tahun: int, triwulan: int) -> Manifest:
        """The folder's record for the quarter; empty when there is none or it cannot be read."""
        manifest = cls(out_dir / f".sidik-laporan_{tahun}_tw{triwulan}.json", out_dir)
        try:
            data = json.loads(manifest.path.read_text(encoding="utf-8"))
            for part in ("laporan", "surat"):
                getattr(manifest, part).update(
                    {kode: Recorded(w["sidik"], {n: list(s) for n, s in w["berkas"].items()})
                     for kode, w in data[part].items()}
                )  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(manifest.path, out_dir)
        return manifest

    def current(self, part: str, kode_pemda: str, sidik: str) -> list[Path] | None:
        """The files of a pemda's `part` ("laporan" or "surat") when they were written from `sidik` and are
        on disk as they were left; None when they must be written."""
        written = getattr(self, part).get(kode_pemda)
        if written is None or written.sidik != sidik:
            return None
        paths = [self.out_dir / name for name in written.files]
        if any(_on_disk(p) != seen for p, seen in zip(paths, written.files.values(), strict=True)):
            return None
        return paths

    def record(self, part: str, kode_pemda: str, sidik: str, paths: list[Path]) -> None:
        """Note the files just written for a pemda's `part`."""
        files = {}
        for path in paths:
            seen = _on_disk(path)
            if seen is not None:
                files[path.relative_to(self.out_dir).as_posix()] = seen
        getattr(self, part)[kode_pemda] = Recorded(sidik, files)

    def save(self) -> None:
        """Write the record (through a temporary file: a crash leaves the previous one)."""
        data = {
            part: {
                kode: {"sidik": w.sidik, "berkas": w.files} for kode, w in sorted(getattr(self, part).items())
            }
            for part in ("laporan", "surat")
        }
        text = json.dumps(data, indent=1) + "\n"  # the files in the order they were written

        def write(target: Path) -> None:
            target.write_text(text, encoding="utf-8")

        self.out_dir.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, write)
