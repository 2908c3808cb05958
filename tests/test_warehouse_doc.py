"""docs/warehouse.md is the readers' contract: it must list exactly the columns the real schema has."""

from __future__ import annotations

import re

from rekap.settings import REPO
from rekap.warehouse.store import connect, create_schema


def documented() -> dict[str, list[tuple[str, str]]]:
    """`### schema.table` sections and the (column, type) rows of their tables."""
    tables: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in (REPO / "docs" / "warehouse.md").read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### ([a-z_]+\.[a-z_]+)\s*$", line)
        if heading:
            current = tables.setdefault(heading.group(1), [])
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        is_row = line.startswith("|") and len(cells) >= 2 and cells[0] not in ("Kolom", "---")
        if current is not None and is_row:
            current.append((cells[0], cells[1]))
    return tables


def test_document_and_schema_agree_column_by_column(tmp_path):
    con = connect(tmp_path / "g.duckdb")
    create_schema(con)
    objects = con.execute(
        """
        SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN ('core', 'mart', 'ref')
        UNION ALL
        SELECT schema_name, view_name FROM duckdb_views()
        WHERE schema_name IN ('core', 'mart', 'ref') AND NOT internal
        """
    ).fetchall()
    real = {
        f"{schema}.{table}": list(zip(rel.columns, map(str, rel.types), strict=True))
        for schema, table in objects
        for rel in [con.table(f"{schema}.{table}")]
    }
    con.close()
    assert documented() == real
