"""Builders of tiny warehouses for the SQL model tests: an in-memory DuckDB with the real schema, and rows
put into its staging and core tables with every column a test does not name set to a plain value.

Rows go in through DuckDB's relation API by column name, so no SQL is written here; the models under test
run from `sql/` with `rekap.warehouse.sql.run_sql`, as the pipeline runs them."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from rekap.warehouse.sql import run_sql
from rekap.warehouse.store import MARTS, connect, create_schema

PEMDA = "36.02"
TAHUN = 2024
DINSOS = "1.06.0.00.0.00.01.0000"
DINKES = "1.02.0.00.0.00.01.0000"
# The first file's arrival; each later file arrives a minute after the one before.
WAKTU = datetime(2024, 10, 7, 8, 0)
NAMA_SKPD = {DINSOS: "Dinas Sosial", DINKES: "Dinas Kesehatan"}


def rp(amount: str | int | None) -> Decimal | None:
    """An amount as the warehouse holds it (DECIMAL, exact to the sen)."""
    return None if amount is None else Decimal(str(amount))


def warehouse(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An empty warehouse, in memory (or in the file `path`), with every schema, table, macro and mart."""
    con = connect(path or ":memory:")
    create_schema(con)
    return con


def copy_of(path: Path, copy: Path) -> duckdb.DuckDBPyConnection:
    """A connection to a fresh copy of a closed warehouse file (a costly scenario built once per module)."""
    shutil.copyfile(path, copy)
    return connect(copy)


def insert(con: duckdb.DuckDBPyConnection, table: str, **values: Any) -> None:
    """One row into `table`, by column name; columns not named are NULL (a name it lacks is an error)."""
    relation = con.table(table)
    unknown = set(values) - set(relation.columns)
    if unknown:
        raise KeyError(f"{table} has no column {sorted(unknown)}")
    relation.insert([values.get(column) for column in relation.columns])


def rows(con: duckdb.DuckDBPyConnection, table: str, *columns: str) -> list[tuple]:
    """The rows of a table or view (the columns named, else all), sorted."""
    relation = con.table(table)
    if columns:
        relation = relation.select(*columns)
    return sorted(relation.fetchall(), key=lambda row: tuple((v is None, str(v)) for v in row))


def _arrival(con: duckdb.DuckDBPyConnection, table: str) -> datetime:
    """The next arrival time: a minute after the last file recorded in `table`."""
    return WAKTU + timedelta(minutes=con.table(table).shape[0])


def _identity(file_hash: str, triwulan: int | None, kode_skpd: str | None, **given: Any) -> dict[str, Any]:
    """What a file says of itself, as staging.berkas and core.submission both keep it."""
    values = {
        "file_hash": file_hash, "source_path": f"masuk/{file_hash}.xlsx", "nama_berkas": f"{file_hash}.xlsx",
        "format": "xlsx", "ukuran_byte": 1000, "kode_pemda": PEMDA, "nama_pemda": "Kabupaten Lebak",
        "tahun": TAHUN, "triwulan": triwulan, "kode_skpd": kode_skpd,
        "nama_skpd": NAMA_SKPD.get(kode_skpd or "", "OPD Lain"), "revisi": None, "rows_read": 1,
    }  # fmt: skip
    values.update(given)
    return values


def submission(
    con: duckdb.DuckDBPyConnection,
    file_hash: str,
    triwulan: int | None = 3,
    kode_skpd: str | None = DINSOS,
    *,
    lolos: bool = True,
    status: str | None = None,
    rows_read: int = 1,
    **extra: Any,
) -> str:
    """A recorded file (core.submission) of Lebak 2024, accepted by default, rejected with one error when not
    `lolos`; any other column by name."""
    values = _identity(file_hash, triwulan, kode_skpd, rows_read=rows_read)
    values.update({
        "received_at": _arrival(con, "core.submission"), "run_id": "r1",
        "rows_accepted": rows_read if lolos else 0, "rows_rejected": 0 if lolos else rows_read,
        "jumlah_error": 0 if lolos else 1,
        "jumlah_peringatan": 0, "lolos": lolos, "status": status or ("diterima" if lolos else "ditolak"),
    })  # fmt: skip
    values.update(extra)
    insert(con, "core.submission", **values)
    return file_hash


def realisasi(
    con: duckdb.DuckDBPyConnection,
    file_hash: str,
    kode_sub_kegiatan: str = "1.06.02.1.01.0001",
    pagu: str | None = "1000000.00",
    triwulan_ini: str | None = None,
    kumulatif: str | None = None,
    *,
    sumber_dana: str = "PAD",
    strategi: str = "PBP",
    **extra: Any,
) -> None:
    """An accepted row (core.realisasi) of a recorded file, which gives it its pemda, year, quarter and OPD;
    rows of one file take the sheet's rows from 7 on, in the order they are given."""
    ((kode_pemda, tahun, triwulan, kode_skpd, source_path),) = (
        con.table("core.submission")
        .filter(duckdb.ColumnExpression("file_hash") == duckdb.ConstantExpression(file_hash))
        .select("kode_pemda", "tahun", "triwulan", "kode_skpd", "source_path")
        .fetchall()
    )
    done = (
        con.table("core.realisasi")
        .filter(duckdb.ColumnExpression("file_hash") == duckdb.ConstantExpression(file_hash))
        .shape[0]
    )
    values = {
        "file_hash": file_hash, "kode_pemda": kode_pemda, "tahun": tahun, "triwulan": triwulan,
        "kode_skpd": kode_skpd, "kode_sub_kegiatan": kode_sub_kegiatan,
        "nama_sub_kegiatan": f"Sub kegiatan {kode_sub_kegiatan}", "strategi": strategi,
        "sumber_dana": sumber_dana, "pagu": rp(pagu), "realisasi_triwulan": rp(triwulan_ini),
        "realisasi_kumulatif": rp(kumulatif), "source_path": source_path, "sheet": "Realisasi",
        "baris": 7 + done,
    }  # fmt: skip
    values.update(extra)
    insert(con, "core.realisasi", **values)


def temuan(
    con: duckdb.DuckDBPyConnection,
    file_hash: str,
    aturan: str,
    tingkat: str = "error",
    *,
    table: str = "core.validation_issue",
    **extra: Any,
) -> None:
    """A finding of a file, in core.validation_issue (or, with table="staging.temuan", this run's)."""
    values = {
        "file_hash": file_hash, "sheet": "Realisasi", "baris": 7, "kolom": "F", "nama_kolom": "Pagu (Rp)",
        "nilai": None, "aturan": aturan, "tingkat": tingkat, "pesan": f"Pesan {aturan}",
        "cara_memperbaiki": f"Perbaiki {aturan}",
    }  # fmt: skip
    values.update(extra)
    insert(con, table, **values)


def opd_terdaftar(
    con: duckdb.DuckDBPyConnection, kode_skpd: str, nama_skpd: str | None = None,
    kode_pemda: str = PEMDA, tahun: int = TAHUN,
) -> None:  # fmt: skip
    """An OPD expected to report (core.opd_terdaftar)."""
    nama = nama_skpd or NAMA_SKPD.get(kode_skpd, "OPD Lain")
    insert(con, "core.opd_terdaftar", kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd, nama_skpd=nama)


def run(
    con: duckdb.DuckDBPyConnection, run_id: str, triwulan: int = 3, kode_pemda: str | None = PEMDA,
    tahun: int = TAHUN, **extra: Any,
) -> None:  # fmt: skip
    """A logged run (core.run)."""
    values = {
        "run_id": run_id, "started_at": WAKTU, "tahun": tahun, "triwulan": triwulan, "kode_pemda": kode_pemda,
        "files_new": 1, "files_deferred": 0, "rows_read": 1, "rows_accepted": 1, "rows_rejected": 0,
    }  # fmt: skip
    values.update(extra)
    insert(con, "core.run", **values)


def wilayah(con: duckdb.DuckDBPyConnection, kode: str, nama_lengkap: str, tingkat: str = "kecamatan") -> None:
    """A region of the Kemendagri reference (ref.wilayah)."""
    nama = nama_lengkap.split(" ", 1)[-1]
    insert(con, "ref.wilayah", kode=kode, nama=nama, tingkat=tingkat, nama_lengkap=nama_lengkap)


def staged_file(
    con: duckdb.DuckDBPyConnection, file_hash: str, triwulan: int | None = 3, kode_skpd: str | None = DINSOS,
    **extra: Any,
) -> str:  # fmt: skip
    """A file of this run (staging.berkas), arriving a day after the recorded ones; any column by name."""
    values = _identity(
        file_hash, triwulan, kode_skpd, received_at=_arrival(con, "staging.berkas") + timedelta(days=1)
    )
    values.update(extra)
    insert(con, "staging.berkas", **values)
    return file_hash


def staged_row(con: duckdb.DuckDBPyConnection, file_hash: str, baris: int, **extra: Any) -> None:
    """A data row of a file of this run (staging.baris), its amounts as text and in sen."""
    values = {
        "row_id": baris, "file_hash": file_hash, "sheet": "Realisasi", "baris": baris,
        "kode_sub_kegiatan": "1.06.02.1.01.0001", "nama_sub_kegiatan": "Bantuan sosial", "strategi": "PBP",
        "sumber_dana": "PAD", "pagu": "1.000.000,00", "pagu_sen": 100_000_000,
        "realisasi_triwulan": "250.000,50", "realisasi_triwulan_sen": 25_000_050,
        "realisasi_kumulatif": "400.000,75", "realisasi_kumulatif_sen": 40_000_075,
        "realisasi_triwulan_ada": True, "realisasi_kumulatif_ada": True,
    }  # fmt: skip
    values.update(extra)
    insert(con, "staging.baris", **values)


def frame(con: duckdb.DuckDBPyConnection, name: str, records: list[dict]) -> None:
    """A frame the pipeline registers for a statement to read (e.g. daftar_baru), as pandas hands it over."""
    con.register(name, pd.DataFrame.from_records(records))


def build_marts(con: duckdb.DuckDBPyConnection, *pairs: tuple[str, int]) -> None:
    """Mark (pemda, tahun) pairs (default: Lebak 2024) in staging.rekap_ulang, as the only ones, and run
    every mart's file in the order the load runs them."""
    con.execute("DELETE FROM staging.rekap_ulang")
    for kode_pemda, tahun in pairs or ((PEMDA, TAHUN),):
        insert(con, "staging.rekap_ulang", kode_pemda=kode_pemda, tahun=tahun)
    for mart in MARTS:
        run_sql(con, f"marts/{mart}")
