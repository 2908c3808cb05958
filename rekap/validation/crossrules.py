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

    def at_rows(rule: str, column: str, located: list[tuple[int, str | None, str]]) -> None:
        """Findings at the cells of the rows given as (row_id, value, detail)."""
        places = _places(rows, [row_id for row_id, _, _ in located])
        for (file_hash, baris), (_, value, detail) in zip(places, located, strict=True):
            found.append(cell_finding(by_hash[file_hash], rule, baris, column, value, detail))

    lokasi = run_sql(con, "checks/R12_lokasi_di_luar_pemda", triwulan=q)
    at_rows("R12", "lokasi", [(row_id, nilai, "") for row_id, nilai in lokasi])
    for file_hash, nilai in run_sql(con, "checks/I11_opd_tidak_terdaftar", triwulan=q):
        f = by_hash[file_hash]
        sheet, baris, kolom = f.identity_where.get("kode_skpd", ("Identitas", None, None))
        found.append(Finding(file_hash, "I11", sheet, baris, kolom, "Kode SKPD", nilai))
    turun = []
    for row_id, nilai_sen, sebelumnya in run_sql(con, "checks/X01_kumulatif_turun", triwulan=q):
        nilai = format_rupiah(rupiah_of_sen(nilai_sen))
        turun.append((row_id, nilai, f"triwulan ini Rp{nilai}, triwulan lalu Rp{format_rupiah(sebelumnya)}"))
    at_rows("X01", "realisasi_kumulatif", turun)
    tidak_cocok = []
    for row_id, nilai_sen, sebelumnya, tw_sen in run_sql(
        con, "checks/X02_tidak_cocok_triwulan_lalu", triwulan=q
    ):
        nilai = format_rupiah(rupiah_of_sen(nilai_sen))
        detail = (
            f"s.d. triwulan ini Rp{nilai}, tetapi s.d. triwulan lalu Rp{format_rupiah(sebelumnya)} + "
            f"triwulan ini Rp{format_rupiah(rupiah_of_sen(tw_sen))} = "
            f"Rp{format_rupiah(sebelumnya + rupiah_of_sen(tw_sen))}"
        )
        tidak_cocok.append((row_id, nilai, detail))
    at_rows("X02", "realisasi_kumulatif", tidak_cocok)
    return found + _reference_findings(con, by_hash, rows, q)


def _reference_findings(
    con: duckdb.DuckDBPyConnection, files: dict[str, ParsedFile], rows: pd.DataFrame, triwulan: int
) -> list[Finding]:
    """The warnings against the region reference for the staged files of one quarter: W10 (a lokasi code
    it does not know, at its cell) and W11 (a Nama Pemda that disagrees with it). `rows` are the run's
    canonical rows indexed by row_id. None while no reference is loaded."""
    found: list[Finding] = []
    unknown = run_sql(con, "checks/W10_lokasi_tidak_dikenal", triwulan=triwulan)
    for (file_hash, baris), (_, nilai) in zip(_places(rows, [r[0] for r in unknown]), unknown, strict=True):
        found.append(cell_finding(files[file_hash], "W10", baris, "lokasi", nilai, nilai))
    for file_hash, nilai, rujukan in run_sql(con, "checks/W11_nama_pemda_berbeda", triwulan=triwulan):
        sheet, baris, kolom = files[file_hash].identity_where.get("nama_pemda", ("Identitas", None, None))
        found.append(
            Finding(file_hash, "W11", sheet, baris, kolom, "Nama Pemda", nilai, f"menurut daftar: {rujukan}")
        )
    return found


def _places(rows: pd.DataFrame, row_ids: list[int]) -> list[tuple[str, int]]:
    """(file_hash, Excel row) of each of `row_ids`, looked up in one go (a rule may flag thousands of rows,
    and a row looked up alone costs pandas a Series)."""
    if not row_ids:
        return []
    found = rows.loc[row_ids, ["file_hash", "baris"]]
    return [(h, int(baris)) for h, baris in zip(found["file_hash"], found["baris"], strict=True)]
