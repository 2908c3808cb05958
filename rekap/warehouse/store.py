"""The warehouse file: opened with nothing allowed to reach the network, its schema created and
migrated, and what it has recorded of the files it was given."""

from __future__ import annotations

from pathlib import Path

import duckdb

from rekap.settings import SQL_DIR
from rekap.warehouse.sql import execute, run_sql, sql_statements

# Files written in this storage format open in DuckDB 1.5 clients too (analysts' tools lag behind).
STORAGE_VERSION = "v1.4.0"


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a warehouse file with nothing allowed to reach the network."""
    config = {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}
    if not read_only:
        config["storage_compatibility_version"] = STORAGE_VERSION
    return duckdb.connect(str(path), read_only=read_only, config=config)


# Every mart, in the order it is built: each file of sql/marts/ defines its table or view (its CREATE
# statement) and rebuilds the table from core and the marts before it (its other statements).
MARTS = (
    "realisasi_rinci", "rekap_opd", "rekap_strategi", "berkas",
    "asal", "rekap_provinsi", "run", "temuan", "berkas_dilewati", "opd_terdaftar", "sasaran_desa",
)  # fmt: skip


def _mart_statements(con: duckdb.DuckDBPyConnection, mart: str, definition: bool) -> list[duckdb.Statement]:
    """A mart file's definition (its CREATE statement) or its rebuild (the others)."""
    statements = sql_statements(con, f"marts/{mart}")
    return [s for s in statements if (s.type == duckdb.StatementType.CREATE) == definition]


def _mart_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {name for (name,) in run_sql(con, "migrations/mart_tables")}


def rebuild_marts(con: duckdb.DuckDBPyConnection, marts: tuple[str, ...] = MARTS) -> None:
    """Rebuild the mart tables for every pemda and year marked in `staging.rekap_ulang` (delete, then insert,
    one set-based statement each whatever the number of pemda); a view has nothing to rebuild."""
    for mart in marts:
        for statement in _mart_statements(con, mart, definition=False):
            con.execute(statement.query)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every schema, table and view that does not exist yet, and bring an older warehouse's tables to
    their present definition."""
    # core.submission made with a PRIMARY KEY on file_hash: moved aside, created again as
    # sql/schema/02_core_submission.sql defines it now, and copied back.
    ((indexed,),) = run_sql(con, "migrations/submission_indexed")
    if indexed:
        run_sql(con, "migrations/submission_aside")
    for path in sorted((SQL_DIR / "schema").glob("*.sql")):
        run_sql(con, f"schema/{path.stem}")
    if indexed:
        run_sql(con, "migrations/submission_back")
    before = _mart_tables(con)
    for mart in MARTS:
        for statement in _mart_statements(con, mart, definition=True):
            con.execute(statement.query)
    # Marts made with their sums as DECIMAL(18,2), which a pemda's total need not fit: widened in place.
    ((narrow,),) = run_sql(con, "migrations/mart_sums_narrow")
    if narrow:
        run_sql(con, "migrations/mart_sums_decimal38")
    # A mart table new to this warehouse is filled from what it holds already.
    rebuild_marts(con, tuple(m for m in MARTS if m in _mart_tables(con) - before))


def seen_hashes(published: Path) -> set[str]:
    """Hashes of every file the published warehouse has recorded for good (a file rejected only by a
    rule that depends on the run's settings is read again, `sql/core/recorded_for_good.sql`)."""
    if not published.exists():
        return set()
    con = connect(published, read_only=True)
    try:
        return recorded_for_good(con)
    finally:
        con.close()


def recorded_for_good(con: duckdb.DuckDBPyConnection, hashes: list[str] | None = None) -> set[str]:
    """Which of `hashes` (default: every file) the warehouse has recorded for good."""
    from rekap.contract.rules import SETTINGS_RULES

    (statement,) = sql_statements(con, "core/recorded_for_good")
    params = {"hashes": hashes, "aturan_pengaturan": sorted(SETTINGS_RULES)}
    # As one column: a national warehouse holds tens of thousands of hashes (figures in docs/skala.md).
    return set(execute(con, statement, params).fetchnumpy()["file_hash"].tolist())
