"""`rekap periksa`: check files as a run would, without loading anything, and say per file what to fix.

The reader and `validate_files` run as in the quarterly run; of the SQL rules (`sql/checks/`) those that
need no history run on an in-memory DuckDB: R12 (lokasi outside the pemda), the warnings against the region
reference (W10, W11) and, given the expected-OPD list, I11. Only the rules against the previous quarter (X01,
X02) need the warehouse and are left out.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TextIO

import pandas as pd

from rekap.faults import fault_point
from rekap.files import sha256_of
from rekap.intake.folder import list_source
from rekap.reading.parsed import ParsedFile, Problem
from rekap.reading.reader import read_submission
from rekap.runtime.isolation import check_isolated
from rekap.settings import Limits
from rekap.validation.batch import berkas_frame
from rekap.validation.crossrules import cross_findings
from rekap.validation.findings import FINDING_COLUMNS, Finding, findings_frame
from rekap.validation.validate import validate_files
from rekap.warehouse.daftar import load_daftar_opd
from rekap.warehouse.sql import run_sql
from rekap.warehouse.store import connect, create_schema
from rekap.warehouse.wilayah import load_wilayah

# How `rekap periksa` names the kinds of rows that are not data (reading.SKIPPED_KINDS).
JENIS_BARIS = {"nomor_kolom": "nomor kolom", "jumlah": "baris jumlah", "catatan": "catatan",
               "tanda_tangan": "tanda tangan atau catatan di bawah tabel"}  # fmt: skip


@dataclass
class Verdict:
    """What `rekap periksa` says about one file."""

    path: Path
    parsed: ParsedFile
    findings: pd.DataFrame  # FINDING_COLUMNS, in the order to read them

    @property
    def errors(self) -> int:
        """Number of errors (any one rejects the file)."""
        return int((self.findings["tingkat"] == "error").sum())

    @property
    def warnings(self) -> int:
        """Number of warnings."""
        return int((self.findings["tingkat"] == "warning").sum())

    @property
    def diterima(self) -> bool:
        """True when the run would accept the file."""
        return self.errors == 0


def expand(paths: list[Path]) -> list[Path]:
    """The files to check: each file as given, each folder's files as a run would list them."""
    files: list[Path] = []
    for path in paths:
        files += list_source(path) if path.is_dir() else [path]
    return files


def sql_findings(
    files: list[ParsedFile], identities: pd.DataFrame, rows: pd.DataFrame, daftar_opd: Path | None
) -> list[Finding]:
    """The rules across rows and files that need no history (R12, W10, W11; I11 when a daftar OPD is
    given), as a run finds them (`validation.crossrules`), on an in-memory warehouse holding these files
    alone: X01 and X02 find nothing there, having no previous quarter to compare with."""
    berkas = berkas_frame(files, identities, dict.fromkeys(identities["file_hash"], dt.datetime.now()))
    found: list[Finding] = []
    con = connect(":memory:")
    try:
        create_schema(con)
        load_daftar_opd(con, daftar_opd)
        load_wilayah(con)
        con.register("new_files", berkas)
        con.register("new_rows", rows)
        con.register("new_findings", pd.DataFrame(columns=FINDING_COLUMNS))
        run_sql(con, "staging/load")
        by_hash, by_row = {f.file_hash: f for f in files}, rows.set_index("row_id")
        for q in sorted({int(q) for q in berkas["triwulan"].dropna()}):
            found += cross_findings(con, by_hash, by_row, q)
    finally:
        con.close()
    return found


def check_files(
    paths: list[Path], pemda: str | None = None, daftar_opd: Path | None = None, limits: Limits | None = None
) -> list[Verdict]:
    """Check files as the run would (reader, GX suites, the SQL rules that need no history); one verdict
    per file, in the order given. The same bytes under two names are checked once and reported twice.
    As in a run, the files are read and validated in a worker process (`rekap.runtime.isolation`): a file that
    crashes, hangs or exhausts its reader is reported (F14) instead of taking `rekap periksa` down."""
    limits = limits or Limits.from_env()
    check = partial(_check_batch, pemda=pemda, daftar_opd=daftar_opd, limits=limits)
    outcome = check_isolated(paths, [list(range(len(paths)))] if paths else [], check, limits)
    verdicts: dict[int, Verdict] = {}
    for indices, part in outcome.parts:
        verdicts.update(zip(indices, part, strict=True))
    if outcome.failures:
        failed = [paths[f.index] for f in outcome.failures]
        parsed = [
            ParsedFile(
                sha256_of(path), str(path), path.name, path.suffix.lower().lstrip("."),
                problems=[Problem("F14", detail=f.reason)],
            )
            for path, f in zip(failed, outcome.failures, strict=True)
        ]  # fmt: skip
        verdicts.update(
            zip([f.index for f in outcome.failures], _verdicts(failed, parsed, pemda, None), strict=True)
        )
    return [verdicts[i] for i in range(len(paths))]


def _check_batch(
    paths: list[Path],
    before_file: Callable[[int], None],
    before_validation: Callable[[], None],
    *,
    pemda: str | None,
    daftar_opd: Path | None,
    limits: Limits,
) -> list[Verdict]:
    parsed = []
    for position, path in enumerate(paths):
        before_file(position)
        fault_point("baca", str(path))
        parsed.append(read_submission(path, limits=limits))
    before_validation()
    return _verdicts(paths, parsed, pemda, daftar_opd)


def _verdicts(
    paths: list[Path], parsed: list[ParsedFile], pemda: str | None, daftar_opd: Path | None
) -> list[Verdict]:
    unique = list({f.file_hash: f for f in parsed}.values())
    identities, rows, findings = validate_files(unique, pemda)
    extra = sql_findings(unique, identities, rows, daftar_opd)
    if extra:
        findings = pd.concat([findings, findings_frame(extra)], ignore_index=True)
    findings = findings.assign(_error=findings["tingkat"] != "error").sort_values(
        ["_error", "sheet", "baris", "kolom", "aturan"], na_position="first", kind="stable"
    )
    return [
        Verdict(path, f, findings[findings["file_hash"] == f.file_hash].drop(columns="_error"))
        for path, f in zip(paths, parsed, strict=True)
    ]


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _where(finding: pd.Series) -> str:
    sheet, kolom = _text(finding["sheet"]), _text(finding["kolom"])
    baris = None if pd.isna(finding["baris"]) else int(finding["baris"])
    cell = f"{kolom or ''}{baris or ''}" if kolom and baris else (f"baris {baris}" if baris else kolom or "")
    if sheet and cell:
        return f"{sheet}!{cell}"
    return sheet or cell or "seluruh berkas"


def print_verdicts(verdicts: list[Verdict], out: TextIO | None = None) -> None:
    """Print every problem of every file, and a verdict per file, in Bahasa Indonesia."""
    out = out or sys.stdout
    for v in verdicts:
        print(f"Berkas: {v.path}", file=out)
        for _, m in v.findings.iterrows():
            label = "KESALAHAN" if m["tingkat"] == "error" else "PERINGATAN"
            kolom = f" ({m['nama_kolom']})" if _text(m["nama_kolom"]) else ""
            nilai = f", isi sel: {m['nilai']!r}" if _text(m["nilai"]) else ""
            print(f"  [{m['aturan']}] {label} di {_where(m)}{kolom}{nilai}", file=out)
            print(f"      {m['pesan']}", file=out)
            print(f"      Cara memperbaiki: {m['cara_memperbaiki']}", file=out)
        for row in v.parsed.skipped:
            print(
                f"  Baris {row.baris} bukan data ({JENIS_BARIS[row.jenis]}), dilewati: {row.teks}", file=out
            )
        keputusan = "DITERIMA" if v.diterima else "DITOLAK"
        # A file whose data sheet was found is readable, even with no data row in it (a blank template).
        baris = f"{len(v.parsed.rows)} baris data" if v.parsed.sheet else "tidak terbaca"
        print(f"  Keputusan: {keputusan} ({baris}; {v.errors} kesalahan, {v.warnings} peringatan)", file=out)
        print(file=out)
    ditolak = sum(not v.diterima for v in verdicts)
    print(
        f"Diperiksa {len(verdicts)} berkas: {len(verdicts) - ditolak} DITERIMA, {ditolak} DITOLAK.",
        file=out,
    )


def periksa(
    paths: list[Path],
    pemda: str | None = None,
    daftar_opd: Path | None = None,
    out: TextIO | None = None,
) -> int:
    """Check and print; exit status 1 when any file would be rejected, else 0."""
    verdicts = check_files(expand(paths), pemda, daftar_opd)
    print_verdicts(verdicts, out)
    return 0 if all(v.diterima for v in verdicts) else 1
