"""SQL files from `sql/` run by name, their values bound as parameters."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import duckdb

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


def query_rows(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> tuple[list[str], list[tuple]]:
    """Run a one-statement query file: (column names, rows) with DECIMAL kept as Decimal."""
    (statement,) = sql_statements(name)
    wanted = {p: params[p] for p in _PARAM.findall(statement)}
    cursor = con.execute(statement, wanted)
    return [d[0] for d in cursor.description], cursor.fetchall()
