"""What the reader found in one file: its identity, its rows, the rows that are no data, its problems."""

from __future__ import annotations

from dataclasses import dataclass, field

from rekap.reading.values import parse_triwulan


@dataclass
class Problem:
    """Something wrong (or repaired) in a file, located as Excel shows it."""

    rule: str
    sheet: str | None = None
    row: int | None = None  # Excel row number, 1-based
    column: str | None = None  # Excel column letter
    column_label: str | None = None  # canonical header of the column
    value: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class SkippedRow:
    """A non-empty row below the header of the data table that the reader did not take as data."""

    baris: int  # Excel row number, 1-based
    jenis: str  # one of SKIPPED_KINDS
    teks: str  # the row's non-empty cells, joined with " | ", clipped, invisible characters escaped


# The kinds of rows below the header that are not data; every other non-empty row there is data (and is
# validated) or a finding.
SKIPPED_KINDS: dict[str, str] = {
    "nomor_kolom": "the row of column numbers (1, 2, 3, ...) that templates print under the header",
    "jumlah": "a total or subtotal row (JUMLAH, TOTAL, SUB TOTAL, ...) without a sub kegiatan code, "
    "wherever it is in the table: the rows below it are read on",
    "catatan": "a row inside the table with neither a sub kegiatan code nor an amount: a group heading, "
    "a note",
    "tanda_tangan": "a row below the table's last total row and below its last row with a sub kegiatan "
    "code, without such a code: the signature block and notes under the table",
}


SKIPPED_TEXT_CHARS = 200


@dataclass
class ParsedFile:
    """What the reader found in one file."""

    file_hash: str
    source_path: str
    file_name: str
    format: str
    size: int = 0
    identity: dict[str, object] = field(default_factory=dict)
    identity_where: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    sheet: str | None = None
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (letter, header as written)
    rows: list[dict[str, object]] = field(default_factory=list)  # name -> raw cell, plus "_baris"
    problems: list[Problem] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)  # rows below the header that are not data

    @property
    def readable(self) -> bool:
        """True when the reader could reach the data rows (no file-level error)."""
        from rekap.contract.rules import RULES

        return not any(RULES[p.rule].tingkat == "error" and p.rule.startswith("F") for p in self.problems)


class FileRejected(Exception):
    """Internal: stop reading this file with one file-level problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.rule)
        self.problem = problem


def identity_triwulan(parsed: ParsedFile) -> int | None:
    """The quarter the file says it reports, when readable."""
    try:
        return parse_triwulan(parsed.identity.get("triwulan"))
    except ValueError:
        return None
