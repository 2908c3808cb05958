"""The events of a quarter beyond one clean file per OPD, and what each does to a file's truth."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal
from pathlib import PurePosixPath

from sample.model import Pemda, SampleFile, SampleRow
from sample.reference import desa_of

EVENTS = {
    "revision": "an OPD sends a quarter twice: Revisi 0 (one SP2D left out), then Revisi 1 superseding it",
    "late": "a quarter's file arrives with the next quarter's batch",
    "rejected": "one row reports a realisasi s.d. triwulan above its pagu (rule R08): the file is rejected",
    "missing": "an expected OPD never sends the quarter",
    "duplicate": "the same bytes sent twice under two names",
    "correction": "the rejected file as its OPD sends it back, fixed (Sample.correction)",
    "household_counts": "KE households per desa of the pemda, counts only (Sample.households)",
}


def renamed(relpath: str, suffix: str, folder: str | None = None) -> str:
    """`relpath` with `suffix` after its stem, in `folder` ('' = none; None = the same folder)."""
    path = PurePosixPath(relpath)
    name = f"{path.stem}{suffix}{path.suffix}"
    parent = path.parent.as_posix() if folder is None else folder
    return f"{parent}/{name}" if parent not in ("", ".") else name


def revision(base: SampleFile, suffix: str, days: int) -> tuple[SampleFile, SampleFile]:
    """Revisi 0 (part of the biggest row's quarter left out; superseded) and Revisi 1 (the true rows), named
    with `suffix` and dated `days` after Revisi 0."""
    old = replace(base, rows=_less_on_biggest_row(base.rows, 3), revisi=0, expected_status="digantikan")
    tanggal = base.tanggal_laporan + timedelta(days=days) if base.tanggal_laporan else None
    new = replace(base, relpath=renamed(base.relpath, suffix), revisi=1, tanggal_laporan=tanggal)
    return old, new


def next_revision(f: SampleFile, relpath: str) -> SampleFile:
    """The next revision of an accepted file, as an OPD sends it after the steward's letter: a tenth of its
    biggest row's quarter moved out of the quarter."""
    return replace(f, rows=_less_on_biggest_row(f.rows, 1), revisi=(f.revisi or 0) + 1, relpath=relpath)


def _less_on_biggest_row(rows: tuple[SampleRow, ...], tenths: int) -> tuple[SampleRow, ...]:
    """The rows with `tenths` tenths (in whole thousands) of the biggest quarter amount taken off it."""
    i = max(range(len(rows)), key=lambda k: rows[k].realisasi_triwulan)
    less = (rows[i].realisasi_triwulan * tenths / 10 / 1000).quantize(Decimal(1), ROUND_DOWN) * 1000
    row = replace(
        rows[i],
        realisasi_triwulan=rows[i].realisasi_triwulan - less,
        realisasi_kumulatif=rows[i].realisasi_kumulatif - less,
    )
    return (*rows[:i], row, *rows[i + 1 :])


def overstated(rows: tuple[SampleRow, ...], i: int, excess: Decimal) -> tuple[SampleRow, ...]:
    """Row i reports a realisasi s.d. triwulan of its pagu plus `excess` (rule R08), its quarter's amount
    raised by as much, so that only kumulatif <= pagu breaks."""
    row = rows[i]
    extra = row.pagu + excess - row.realisasi_kumulatif
    wrong = replace(
        row,
        realisasi_triwulan=row.realisasi_triwulan + extra,
        realisasi_kumulatif=row.realisasi_kumulatif + extra,
    )
    return (*rows[:i], wrong, *rows[i + 1 :])


def corrected_submission(bad: SampleFile) -> SampleFile:
    """The file an OPD sends back once told of its rejection: a week later, Revisi 1, each overstated row's
    pagu raised to its APBD-P amount (above the realisasi it reported), nothing else changed."""
    rows = tuple(
        replace(
            r, pagu=(r.realisasi_kumulatif * Decimal("1.1") / 1000).quantize(Decimal(1), ROUND_DOWN) * 1000
        )
        if r.realisasi_kumulatif > r.pagu
        else r
        for r in bad.rows
    )
    return replace(
        bad,
        relpath=renamed(bad.relpath, " revisi 1", folder=""),
        revisi=1,
        rows=rows,
        expected_status="diterima",
        defect="",
        tanggal_laporan=bad.tanggal_laporan + timedelta(days=7) if bad.tanggal_laporan else None,
    )


def household_counts(pemda: Pemda, seed: int | str) -> tuple[tuple[str, str, int], ...]:
    """KE households per desa of the pemda, as a steward aggregates them from P3KE (counts only, no person):
    synthetic, about 16 a desa (near the 5,698 KK Lebak reported for 2024)."""
    rng = random.Random(f"{seed}:sasaran")
    return tuple((kode, nama, rng.randint(0, 33)) for kode, nama in desa_of(pemda.kode))
