"""The shape of a report: plain tables handed from the SQL layer to the renderers.

Every figure is computed in SQL (`sql/report/`); renderers only format and lay out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Literal

# How a column is formatted. `rupiah` values are Decimal (exact), `persen` are Decimal with two
# decimals (e.g. Decimal("45.10") means 45,10 %), `angka` are int, `teks` and `tanggal` are str.
# `teks` columns may hold text typed by an OPD: renderers must write it as inert text.
ColumnKind = Literal["teks", "rupiah", "persen", "angka", "tanggal"]
NUMERIC_KINDS: frozenset[ColumnKind] = frozenset({"rupiah", "persen", "angka"})


@dataclass(frozen=True)
class Column:
    """One column of a report table."""

    name: str  # identifier, as returned by the SQL
    label: str  # header shown to readers, in Bahasa Indonesia
    kind: ColumnKind = "teks"


@dataclass
class ReportTable:
    """One table of the report (T0..T7), ready to render."""

    key: str  # "t0", "t1", ... ; also the sheet order
    title: str  # e.g. "T1 Rekap per Strategi"
    columns: list[Column]
    rows: list[tuple[Any, ...]]
    # Per row: 0 = detail row, 1.. = subtotal depth (1 = grand total, rendered bold). Same length as rows
    # when given; empty means all rows are detail rows.
    levels: list[int] = field(default_factory=list)
    note: str = ""  # one line under the title (e.g. "Angka dalam Rupiah")
    # Per row: the kind of that row's numeric cells, overriding the column's kind, for a table whose rows
    # are figures of different kinds (T0: Rupiah, percentages and counts in one column). Same length as
    # rows when given; None (or an empty list) keeps the column's kind. Text columns are never overridden.
    row_kinds: list[ColumnKind | None] = field(default_factory=list)

    def level(self, i: int) -> int:
        """Subtotal level of row i (0 for a detail row)."""
        return self.levels[i] if self.levels else 0

    def kind(self, row: int, column: int) -> ColumnKind:
        """How the cell at (row, column) is formatted: the row's kind for a numeric column, if it has one."""
        return _cell_kind(self.columns[column].kind, self.row_kinds[row] if self.row_kinds else None)

    def cell_kinds(self) -> list[list[ColumnKind]]:
        """`kind` of every cell, row by row (rows without a kind of their own share one list)."""
        kinds = [column.kind for column in self.columns]
        if not self.row_kinds:
            return [kinds] * len(self.rows)
        return [[_cell_kind(kind, own) for kind in kinds] for own in self.row_kinds]

    @cached_property
    def texts(self) -> list[list[str]]:
        """Every cell as readers see it (`rekap.contract.format.format_cell`), row by row. Made once, at
        the first read: the page, the workbook, the PDF and the run's artifact each read every cell's text
        (5.6 ms a report each on the 300-pemda clone), so a table is not changed once it is rendered. Left
        out when the table is pickled (a report worker sends its reports back without them)."""
        from rekap.contract.format import format_cell  # that module imports this one

        return [
            [format_cell(value, kind) for value, kind in zip(row, kinds, strict=True)]
            for row, kinds in zip(self.rows, self.cell_kinds(), strict=True)
        ]

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name != "texts"}


def _cell_kind(column: ColumnKind, row: ColumnKind | None) -> ColumnKind:
    """A row's own kind overrides a numeric column's; a text column is never overridden."""
    return (row or column) if column in NUMERIC_KINDS else column


@dataclass
class Report:
    """Everything one report file shows: the identity of the report and its tables in order."""

    kode_pemda: str
    nama_pemda: str
    tahun: int
    triwulan: int
    tables: list[ReportTable]
    # Figures for charts, computed in SQL like everything else:
    # serapan per OPD: list of (nama_skpd, persen_serapan Decimal)
    # per strategi: list of (strategi label, pagu Decimal, realisasi_kumulatif Decimal)
    # per triwulan: list of (triwulan int 1..4, realisasi_triwulan Decimal)
    # lokasi: list of (wilayah label, realisasi_kumulatif Decimal), the largest ten
    charts: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def table(self, key: str) -> ReportTable:
        """The table with this key."""
        return next(t for t in self.tables if t.key == key)

    def only(self, keys: tuple[str, ...]) -> Report:
        """The report with only the tables of `keys` and no chart figures."""
        return replace(self, tables=[t for t in self.tables if t.key in keys], charts={})

    @property
    def file_stem(self) -> str:
        """Base name of the report files, as the report spec fixes it."""
        return f"laporan-ke_{self.kode_pemda}_{self.tahun}_tw{self.triwulan}"
