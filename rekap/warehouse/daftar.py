"""The registry of OPDs expected to report, loaded from the CSV of `--daftar-opd`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rekap.contract.errors import RunError
from rekap.contract.fields import DAFTAR_OPD_COLUMNS
from rekap.warehouse.sql import run_sql


def load_daftar_opd(con, path: Path | None) -> None:
    """Replace the expected-OPD list of each (pemda, tahun) named in the CSV."""
    if path is None:
        return
    if not path.exists():
        raise RunError(f"Berkas daftar OPD tidak ditemukan: {path}")
    daftar = pd.read_csv(path, dtype=str, encoding="utf-8-sig").fillna("")
    daftar.columns = [c.strip().lower() for c in daftar.columns]
    missing = set(DAFTAR_OPD_COLUMNS) - set(daftar.columns)
    if missing:
        raise RunError(f"Daftar OPD tanpa kolom {', '.join(sorted(missing))}: {path}")
    daftar = daftar[list(DAFTAR_OPD_COLUMNS)].map(str.strip)
    daftar["tahun"] = daftar["tahun"].astype(int)
    con.register("daftar_baru", daftar)
    run_sql(con, "core/replace_opd_terdaftar")
    con.unregister("daftar_baru")
