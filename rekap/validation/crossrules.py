"""The rules across rows, files and quarters (`sql/checks/`), run on a warehouse connection with the
quarter's files staged, their findings located like every other: the same for a run and for
`rekap periksa`."""

from __future__ import annotations

import duckdb
import pandas as pd

from rekap.contract.format import format_rupiah, rupiah_of_sen
from rekap.reading.parsed import ParsedFile
from rekap.validation.findings import Finding, cell_finding
from rekap.warehouse.sql import run_sql


def cross_findings(
    con: duckdb.DuckDBPyConnection, files: dict[str, ParsedFile], rows: pd.DataFrame, triwulan: int
) -> list[Finding]:
    """The findings of the SQL rules for the staged files of one quarter, each located at its cell: R12
    (lokasi outside the pemda), I11 (OPD not on the list), X01 and X02 (against the previous quarter), W10
    and W11 (against the region reference). `files` by hash; `rows`, the canonical rows, by row_id."""
    by_hash, q = files, triwulan
    found: list[Finding] = []

    def at_row(rule: str, row_id: int, column: str, value: str | None, detail: str = "") -> None:
        row = rows.loc[row_id]
        found.append(cell_finding(by_hash[row["file_hash"]], rule, int(row["baris"]), column, value, detail))

    for row_id, nilai in run_sql(con, "checks/R12_lokasi_di_luar_pemda", triwulan=q):
        at_row("R12", row_id, "lokasi", nilai)
    for file_hash, nilai in run_sql(con, "checks/I11_opd_tidak_terdaftar", triwulan=q):
        f = by_hash[file_hash]
        sheet, baris, kolom = f.identity_where.get("kode_skpd", ("Identitas", None, None))
        found.append(Finding(file_hash, "I11", sheet, baris, kolom, "Kode SKPD", nilai))
    for row_id, nilai_sen, sebelumnya in run_sql(con, "checks/X01_kumulatif_turun", triwulan=q):
        nilai = format_rupiah(rupiah_of_sen(nilai_sen))
        at_row(
            "X01",
            row_id,
            "realisasi_kumulatif",
            nilai,
            f"triwulan ini Rp{nilai}, triwulan lalu Rp{format_rupiah(sebelumnya)}",
        )
    for row_id, nilai_sen, sebelumnya, tw_sen in run_sql(
        con, "checks/X02_tidak_cocok_triwulan_lalu", triwulan=q
    ):
        nilai = format_rupiah(rupiah_of_sen(nilai_sen))
        at_row(
            "X02",
            row_id,
            "realisasi_kumulatif",
            nilai,
            f"s.d. triwulan ini Rp{nilai}, tetapi s.d. triwulan lalu Rp{format_rupiah(sebelumnya)} + "
            f"triwulan ini Rp{format_rupiah(rupiah_of_sen(tw_sen))} = "
            f"Rp{format_rupiah(sebelumnya + rupiah_of_sen(tw_sen))}",
        )
    return found + _reference_findings(con, by_hash, rows, q)


def _reference_findings(
    con: duckdb.DuckDBPyConnection, files: dict[str, ParsedFile], rows: pd.DataFrame, triwulan: int
) -> list[Finding]:
    """The warnings against the region reference for the staged files of one quarter: W10 (a lokasi code
    it does not know, at its cell) and W11 (a Nama Pemda that disagrees with it). `rows` are the run's
    canonical rows indexed by row_id. None while no reference is loaded."""
    found: list[Finding] = []
    for row_id, nilai in run_sql(con, "checks/W10_lokasi_tidak_dikenal", triwulan=triwulan):
        row = rows.loc[row_id]
        found.append(cell_finding(files[row["file_hash"]], "W10", int(row["baris"]), "lokasi", nilai, nilai))
    for file_hash, nilai, rujukan in run_sql(con, "checks/W11_nama_pemda_berbeda", triwulan=triwulan):
        sheet, baris, kolom = files[file_hash].identity_where.get("nama_pemda", ("Identitas", None, None))
        found.append(
            Finding(file_hash, "W11", sheet, baris, kolom, "Nama Pemda", nilai, f"menurut daftar: {rujukan}")
        )
    return found
