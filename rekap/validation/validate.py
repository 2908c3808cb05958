"""Validate a run's parsed files: their canonical frames through the Great Expectations suites, each
failure located at its cell. GX runs once over the rows of all files of a run, not once per file."""

from __future__ import annotations

import pandas as pd

from rekap.contract.codes import MAX_RUPIAH
from rekap.contract.fields import IDENTITY_BY_NAME
from rekap.contract.format import format_rupiah, rupiah_of_sen
from rekap.reading.parsed import ParsedFile
from rekap.reading.values import cell_text
from rekap.validation.canonical import _LIMIT, TOO_LARGE, identity_frame, row_frame
from rekap.validation.findings import (
    Finding,
    cell_finding,
    finding_from_problem,
    findings_frame,
    one_per_cell,
)
from rekap.validation.gx import run_suite


def _rupiah(sen: int) -> str:
    return format_rupiah(rupiah_of_sen(sen))


def row_findings(frame: pd.DataFrame, files: list[ParsedFile]) -> list[Finding]:
    """Validate the row frame with the `realisasi` suite and locate each failure."""
    by_hash = {f.file_hash: f for f in files}
    findings = []
    rows = frame.set_index("row_id")
    raw_cells = {(f.file_hash, int(r["_baris"])): r for f in files for r in f.rows}
    for rule, row_id, columns in run_suite("realisasi", frame):
        row = rows.loc[row_id]
        f = by_hash[row["file_hash"]]
        if rule == "R14":
            for name in row[TOO_LARGE].split(";"):
                limit = _LIMIT.get(name, MAX_RUPIAH)
                raw = raw_cells[(f.file_hash, int(row["baris"]))].get(name)
                detail = f"harus kurang dari {format_rupiah(limit)}"
                findings.append(cell_finding(f, rule, int(row["baris"]), name, cell_text(raw), detail))
            continue
        # Report at the column the OPD must correct: the realisasi side of a pair, the code for a duplicate.
        name = {"R11": "kode_sub_kegiatan", "R08": "realisasi_kumulatif", "R09": "realisasi_triwulan",
                "R10": "realisasi_triwulan"}.get(rule, columns[0].removesuffix("_sen"))  # fmt: skip
        value = row.get(name)
        detail = ""
        if rule in ("R08", "R09"):
            detail = f"realisasi Rp{_rupiah(row[name + '_sen'])} > pagu Rp{_rupiah(row['pagu_sen'])}"
        elif rule == "R10":
            detail = (
                f"s.d. triwulan Rp{_rupiah(row['realisasi_kumulatif_sen'])} < triwulan ini "
                f"Rp{_rupiah(row['realisasi_triwulan_sen'])}"
            )
        elif rule == "R11":
            detail = f"{row['kode_sub_kegiatan']} / {row['sumber_dana']}"
        raw = raw_cells[(f.file_hash, int(row["baris"]))].get(name, value)
        findings.append(cell_finding(f, rule, int(row["baris"]), name, cell_text(raw), detail))
    return findings


def identity_findings(frame: pd.DataFrame, files: list[ParsedFile]) -> list[Finding]:
    """Validate the identity frame with the `identitas` suite and locate each failure."""
    findings = []
    rows = frame.set_index("row_id")
    for rule, row_id, columns in run_suite("identitas", frame):
        f = files[row_id]
        name = {"I09": "triwulan", "I10": "kode_pemda"}.get(rule, columns[0])
        name = "tanggal_laporan" if name == "awal_triwulan" else name
        sheet, baris, kolom = f.identity_where.get(name, (f.sheet or "Identitas", None, None))
        detail = ""
        if rule == "I09":
            detail = f"nama berkas menyebut triwulan {rows.loc[row_id]['triwulan_nama_berkas']}"
        elif rule == "I10":
            detail = f"pemda yang direkap {rows.loc[row_id]['pemda_run']}"
        findings.append(
            Finding(
                f.file_hash,
                rule,
                sheet,
                baris,
                kolom,
                IDENTITY_BY_NAME[name].label,
                cell_text(f.identity.get(name)),
                detail,
            )
        )
    return findings


def validate_files(
    files: list[ParsedFile], pemda_run: str | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Validate a run's files: (identity frame, row frame, findings frame)."""
    identities = identity_frame(files, pemda_run)
    rows, repairs = row_frame(files)
    findings = [finding_from_problem(f.file_hash, p) for f in files for p in f.problems]
    # A file whose identity could not be read at all already carries its file-level error.
    with_identity = identities[identities["file_hash"].isin({f.file_hash for f in files if f.identity})]
    findings += repairs + identity_findings(with_identity, files)
    findings += row_findings(rows, files)
    del rows[TOO_LARGE]
    return identities, rows, findings_frame(one_per_cell(findings))
