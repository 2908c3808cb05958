"""What analysts ask of the published warehouse: where a figure comes from, and the marts as Parquet."""

from __future__ import annotations

from pathlib import Path

import duckdb

from rekap.warehouse.sql import query_rows
from rekap.warehouse.store import connect


def lineage(
    con: duckdb.DuckDBPyConnection,
    kode_pemda: str,
    tahun: int,
    triwulan: int,
    kode_skpd: str | None = None,
    kode_sub_kegiatan: str | None = None,
    sumber_dana: str | None = None,
) -> tuple[list[str], list[tuple]]:
    """The file rows behind a figure (any prefix of its key): (column names, rows)."""
    return query_rows(
        con, "query/asal", kode_pemda=kode_pemda, tahun=tahun, triwulan=triwulan, kode_skpd=kode_skpd,
        kode_sub_kegiatan=kode_sub_kegiatan, sumber_dana=sumber_dana,
    )  # fmt: skip


def export_parquet(warehouse: Path, out_dir: Path) -> list[Path]:
    """Write every table and view of the `mart` schema to `<out_dir>/<name>.parquet`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    con = connect(warehouse, read_only=True)
    try:
        paths = []
        for nama, tabel in query_rows(con, "query/mart_objects")[1]:
            path = out_dir / f"{nama}.parquet"
            con.table(tabel).write_parquet(str(path))
            paths.append(path)
        return paths
    finally:
        con.close()
