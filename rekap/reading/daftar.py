"""The CSV of expected OPDs (`--daftar-opd`): its columns, and how a file is told to be one."""

from __future__ import annotations

import re
from pathlib import Path

from rekap.contract.fields import DAFTAR_OPD_COLUMNS

DAFTAR_OPD_FOUND = "daftar OPD (kolom kode_pemda, tahun, kode_skpd, nama_skpd), bukan laporan"


def looks_like_daftar_opd(path: Path) -> bool:
    """Whether a file is a list of expected OPDs rather than a report: a CSV whose first line names the
    columns of `--daftar-opd` and no amount (a report as CSV repeats its identity columns on every row,
    beside its Pagu and Realisasi)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    if head.startswith(b"PK") or b"\0" in head:
        return False
    line = next((ln for ln in head.decode("utf-8-sig", "replace").splitlines() if ln.strip()), "")
    names = {n.strip().strip('"').lower() for n in re.split("[,;]", line)}
    return set(DAFTAR_OPD_COLUMNS) <= names and not any("pagu" in n or "realisasi" in n for n in names)
