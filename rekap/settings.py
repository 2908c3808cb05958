"""One place for paths, limits and settings. Values come from the environment (or Prefect Variables,
read by the flow), with safe defaults; nothing here is a secret."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SQL_DIR = REPO / "sql"
EXPECTATIONS_DIR = REPO / "expectations"
TEMPLATES_DIR = REPO / "templates"
SAMPLE_DIR = REPO / "sample" / "lebak-2024"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or broken file from exhausting time or memory."""

    max_file_bytes: int = 25 * 2**20
    max_uncompressed_bytes: int = 200 * 2**20  # sum of the members of an xlsx (zip bomb guard)
    max_compression_ratio: int = 200
    max_rows: int = 20_000  # rows of the data sheet
    max_cell_chars: int = 5_000

    @classmethod
    def from_env(cls) -> Limits:
        """Limits, each overridable by a `REKAP_MAX_*` variable."""
        d = cls()
        return cls(
            max_file_bytes=_env_int("REKAP_MAX_FILE_BYTES", d.max_file_bytes),
            max_uncompressed_bytes=_env_int("REKAP_MAX_UNCOMPRESSED_BYTES", d.max_uncompressed_bytes),
            max_compression_ratio=_env_int("REKAP_MAX_COMPRESSION_RATIO", d.max_compression_ratio),
            max_rows=_env_int("REKAP_MAX_ROWS", d.max_rows),
            max_cell_chars=_env_int("REKAP_MAX_CELL_CHARS", d.max_cell_chars),
        )


def default_warehouse() -> Path:
    """The published warehouse file: `REKAP_WAREHOUSE`, else `keluaran/gudang-ke.duckdb`."""
    return Path(os.environ.get("REKAP_WAREHOUSE", "keluaran/gudang-ke.duckdb"))


def default_out_dir() -> Path:
    """Where reports and letters go: `REKAP_OUT`, else `keluaran/laporan`."""
    return Path(os.environ.get("REKAP_OUT", "keluaran/laporan"))


def raw_dir_for(warehouse: Path) -> Path:
    """Where received files are kept as received (raw is immutable): `REKAP_RAW`, else beside the
    warehouse in `mentah/`."""
    return Path(os.environ.get("REKAP_RAW") or warehouse.parent / "mentah")
