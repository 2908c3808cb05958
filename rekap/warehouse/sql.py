"""SQL files from `sql/` run by name, their values bound as parameters."""

from __future__ import annotations

from typing import Any

import duckdb

from rekap.settings import SQL_DIR

# Each file's statements as DuckDB's parser splits them, parsed once per process (by name).
_parsed: dict[str, tuple[duckdb.Statement, ...]] = {}


def sql_statements(con: duckdb.DuckDBPyConnection, name: str) -> tuple[duckdb.Statement, ...]:
    """The statements of `sql/<name>.sql`, split by DuckDB's own parser (which names their parameters)."""
    statements = _parsed.get(name)
    if statements is None:
        text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
        statements = _parsed.setdefault(name, tuple(con.extract_statements(text)))
    return statements


def execute(
    con: duckdb.DuckDBPyConnection, statement: duckdb.Statement, params: dict[str, Any]
) -> duckdb.DuckDBPyConnection:
    """Run one statement with the parameters it names bound."""
    wanted = {p: params[p] for p in statement.named_parameters}
    return con.execute(statement.query, wanted) if wanted else con.execute(statement.query)


def run_sql(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[tuple[Any, ...]]:
    """Run `sql/<name>.sql` with bound parameters; return the rows of its last statement."""
    rows: list[tuple[Any, ...]] = []
    for statement in sql_statements(con, name):
        cursor = execute(con, statement, params)
        rows = cursor.fetchall() if cursor.description else []
    return rows


def query_rows(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> tuple[list[str], list[tuple]]:
    """Run a one-statement query file: (column names, rows) with DECIMAL kept as Decimal."""
    (statement,) = sql_statements(con, name)
    cursor = execute(con, statement, params)
    return [d[0] for d in cursor.description], cursor.fetchall()
