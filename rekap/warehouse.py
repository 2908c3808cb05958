"""The DuckDB warehouse: SQL files from `sql/` run by name, a working copy written by the one writer,
and an atomic publish so readers never see half a quarter."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from rekap.settings import SQL_DIR

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


@cache
def sql_statements(name: str) -> tuple[str, ...]:
    """The statements of `sql/<name>.sql`, split at semicolons that end a line."""
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    parts = re.split(r";\s*\n", text)
    statements = []
    for part in parts:
        code = "\n".join(line for line in part.splitlines() if not line.strip().startswith("--")).strip()
        if code:
            statements.append(code.rstrip(";"))
    return tuple(statements)


def run_sql(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[tuple[Any, ...]]:
    """Run `sql/<name>.sql` with bound parameters; return the rows of its last statement."""
    rows: list[tuple[Any, ...]] = []
    for statement in sql_statements(name):
        wanted = {p: params[p] for p in _PARAM.findall(statement)}
        cursor = con.execute(statement, wanted) if wanted else con.execute(statement)
        rows = cursor.fetchall() if cursor.description else []
    return rows


def query_frame(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run a one-statement query file and return its rows as a frame (for non-money use only)."""
    (statement,) = sql_statements(name)
    wanted = {p: params[p] for p in _PARAM.findall(statement)}
    return con.execute(statement, wanted).df()


def query_rows(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> tuple[list[str], list[tuple]]:
    """Run a one-statement query file: (column names, rows) with DECIMAL kept as Decimal."""
    (statement,) = sql_statements(name)
    wanted = {p: params[p] for p in _PARAM.findall(statement)}
    cursor = con.execute(statement, wanted)
    return [d[0] for d in cursor.description], cursor.fetchall()


# Files written in this storage format open in DuckDB 1.5 clients too (analysts' tools lag behind).
STORAGE_VERSION = "v1.4.0"


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a warehouse file with nothing allowed to reach the network."""
    config = {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}
    if not read_only:
        config["storage_compatibility_version"] = STORAGE_VERSION
    return duckdb.connect(str(path), read_only=read_only, config=config)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every schema and table that does not exist yet."""
    for path in sorted((SQL_DIR / "schema").glob("*.sql")):
        run_sql(con, f"schema/{path.stem}")


def working_path(published: Path) -> Path:
    """The writer's private copy beside the published file."""
    return published.with_name(published.name + ".kerja")


@contextmanager
def writing(published: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a working copy of the published warehouse for writing; on success publish it atomically.

    Readers keep reading the published file (or their snapshot of it) throughout. If the run dies, the
    working copy is left behind and discarded by the next run, and the published file is untouched.
    The working copy is the unit of atomicity: statements on it autocommit, and must not be wrapped in
    an explicit transaction (DuckDB 2.0.0 then loses a parallel INSERT following an INSERT of no rows).
    """
    published.parent.mkdir(parents=True, exist_ok=True)
    with _writer_lock(published):
        yield from _write_and_publish(published)


@contextmanager
def _writer_lock(published: Path) -> Iterator[None]:
    """One writer per warehouse, whoever starts it (schedule, steward, CLI): a second run waits here
    until the first has published, so runs queue instead of racing. The OS drops the lock if the
    holder dies."""
    with open(published.with_name(published.name + ".lock"), "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _write_and_publish(published: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    work = working_path(published)
    fault_point("mulai")
    for stale in (work, work.with_name(work.name + ".wal")):
        stale.unlink(missing_ok=True)
    if published.exists():
        shutil.copyfile(published, work)
    con = connect(work)
    try:
        create_schema(con)
        yield con
        con.execute("CHECKPOINT")
        fault_point("sebelum-terbit")
    except BaseException:
        con.close()
        raise
    con.close()
    with open(work, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(work, published)
    fault_point("setelah-terbit")


def fault_point(stage: str) -> None:
    """Crash-safety tests kill the run here (SIGKILL, as an operator or the OOM killer would) when
    `REKAP_UJI_MATI_DI` names this stage; a no-op otherwise."""
    if os.environ.get("REKAP_UJI_MATI_DI") == stage:
        os.kill(os.getpid(), signal.SIGKILL)


def seen_hashes(published: Path) -> set[str]:
    """Hashes of every file the published warehouse has recorded."""
    if not published.exists():
        return set()
    con = connect(published, read_only=True)
    try:
        return {h for (h,) in con.execute("SELECT file_hash FROM core.submission").fetchall()}
    finally:
        con.close()
