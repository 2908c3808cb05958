"""Findings: each problem located where the OPD will find it (file, sheet, row, column, value, rule),
shared by `rekap run` and `rekap periksa`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from rekap.contract.fields import COLUMN_BY_NAME
from rekap.contract.rules import RULES
from rekap.reading.parsed import ParsedFile, Problem
from rekap.reading.values import visible

FINDING_COLUMNS = ["file_hash", "sheet", "baris", "kolom", "nama_kolom", "nilai", "aturan", "tingkat",
                   "pesan", "cara_memperbaiki"]  # fmt: skip


@dataclass
class Finding:
    """One located problem, ready for `core.validation_issue` and the feedback letter."""

    file_hash: str
    aturan: str
    sheet: str | None = None
    baris: int | None = None
    kolom: str | None = None
    nama_kolom: str | None = None
    nilai: str | None = None
    detail: str = ""

    def record(self) -> dict[str, Any]:
        """The row stored in the warehouse."""
        rule = RULES[self.aturan]
        pesan = f"{rule.pesan}: {visible(self.detail, 500)}" if self.detail else rule.pesan
        return {
            "file_hash": self.file_hash,
            "sheet": self.sheet,
            "baris": self.baris,
            "kolom": self.kolom,
            "nama_kolom": self.nama_kolom,
            "nilai": None if self.nilai is None else visible(self.nilai),
            "aturan": self.aturan,
            "tingkat": rule.tingkat,
            "pesan": pesan,
            "cara_memperbaiki": rule.cara_memperbaiki,
        }


def finding_from_problem(file_hash: str, p: Problem) -> Finding:
    """A reader problem as a finding."""
    return Finding(file_hash, p.rule, p.sheet, p.row, p.column, p.column_label, p.value, p.detail)


def cell_finding(
    f: ParsedFile, rule: str, baris: int, name: str, value: str | None, detail: str = ""
) -> Finding:
    """A finding located at one cell of the data sheet (column given by field name)."""
    letter = f.columns.get(name, (None, None))[0]
    return Finding(f.file_hash, rule, f.sheet, baris, letter, COLUMN_BY_NAME[name].label, value, detail)


def one_per_cell(findings: list[Finding]) -> list[Finding]:
    """Keep one error per cell (the first rule in catalogue order): a cell that is not a number
    need not also be told it has too many decimals. Warnings and file-level findings are all kept."""
    order = {rule_id: i for i, rule_id in enumerate(RULES)}
    kept, seen = [], set()
    for f in sorted(findings, key=lambda f: (f.file_hash, f.baris or 0, f.kolom or "", order[f.aturan])):
        key = (f.file_hash, f.sheet, f.baris, f.kolom)
        if RULES[f.aturan].tingkat == "error" and f.baris is not None and f.kolom is not None:
            if key in seen:
                continue
            seen.add(key)
        kept.append(f)
    return kept


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Findings as the frame loaded into `core.validation_issue`."""
    frame = pd.DataFrame.from_records([f.record() for f in findings], columns=FINDING_COLUMNS)
    frame["baris"] = frame["baris"].astype("Int64")
    return frame
