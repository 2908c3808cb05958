"""The warehouse file: opened with nothing allowed to reach the network, its schema created and
migrated, and what it has recorded of the files it was given."""

from __future__ import annotations

from pathlib import Path

import duckdb

from rekap.settings import SQL_DIR
from rekap.warehouse.sql import run_sql, sql_statements

# Files written in this storage format open in DuckDB 1.5 clients too (analysts' tools lag behind).
STORAGE_VERSION = "v1.4.0"


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a warehouse file with nothing allowed to reach the network."""
    config = {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}
    if not read_only:
        config["storage_compatibility_version"] = STORAGE_VERSION
    return duckdb.connect(str(path), read_only=read_only, config=config)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every schema and table that does not exist yet, and bring an older warehouse's tables to
    their present definition."""
    # core.submission made with a PRIMARY KEY on file_hash (before December 2026): moved aside, created
    # again as sql/schema/02_core_submission.sql defines it now, and copied back.
    ((indexed,),) = con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE schema_name = 'core' AND table_name = 'submission' "
        "AND constraint_type = 'PRIMARY KEY'"
    ).fetchall()
    if indexed:
        con.execute("ALTER TABLE core.submission RENAME TO submission_lama")
    for path in sorted((SQL_DIR / "schema").glob("*.sql")):
        run_sql(con, f"schema/{path.stem}")
    if indexed:
        con.execute("INSERT INTO core.submission SELECT * FROM core.submission_lama")
        con.execute("DROP TABLE core.submission_lama")
    # Marts made with their sums as DECIMAL(18,2), which a pemda's total need not fit: widened in place.
    ((narrow,),) = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'mart' "
        "AND table_name IN ('rekap_opd', 'rekap_strategi') AND data_type = 'DECIMAL(18,2)'"
    ).fetchall()
    if narrow:
        run_sql(con, "migrations/mart_sums_decimal38")


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

    (statement,) = sql_statements("core/recorded_for_good")
    params = {"hashes": hashes, "aturan_pengaturan": sorted(SETTINGS_RULES)}
    # As one column (a national warehouse holds ~20,000 hashes: 2.5 x faster than row tuples).
    return set(con.execute(statement, params).fetchnumpy()["file_hash"].tolist())
