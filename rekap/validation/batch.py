"""Reading and validating a batch of pulled files: the canonical frames and findings of a run, merged
from its batches as if validated in one pass."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from rekap.contract.calendar import TAHUN_PATTERN
from rekap.faults import fault_point
from rekap.intake.folder import PassedOver
from rekap.intake.raw import Incoming
from rekap.reading.daftar import DAFTAR_OPD_FOUND, looks_like_daftar_opd
from rekap.reading.parsed import ParsedFile, Problem, identity_triwulan
from rekap.reading.reader import read_submission
from rekap.reading.values import clean_code, triwulan_in_name
from rekap.settings import Limits
from rekap.validation.validate import validate_files
from rekap.whole import Whole


@dataclass
class Checked:
    """A run's files after validation, ready to load."""

    tahun: int
    triwulan: int
    pemda: str | None
    files: Sequence[ParsedFile]
    deferred: Sequence[ParsedFile]
    berkas: pd.DataFrame
    rows: pd.DataFrame
    findings: pd.DataFrame
    seconds: dict[str, float] = field(default_factory=dict)  # process time by step ("baca", "validasi")
    passed_over: list[PassedOver] = field(default_factory=list)  # files found to be no submission

    def __post_init__(self) -> None:
        # Handed from the check to the load through Prefect: taken whole, not walked (`rekap.whole`).
        self.files, self.deferred = Whole(self.files), Whole(self.deferred)


def parse_all(incoming: list[Incoming], limits: Limits | None = None) -> list[ParsedFile]:
    """Read every pulled file, in order, in this process (`rekap.runtime.check_files` spreads a big run
    over cores)."""
    limits = limits or Limits.from_env()
    return [_read(item, limits) for item in incoming]


def _read(item: Incoming, limits: Limits) -> ParsedFile:
    fault_point("baca", item.source_path)
    return read_submission(
        item.raw_path, source_path=item.source_path, file_hash=item.file_hash, limits=limits
    )


def _int_or_none(text: object, pattern: str) -> int | None:
    return int(text) if isinstance(text, str) and re.fullmatch(pattern, text) else None


def check_batch(
    incoming: list[Incoming],
    before_file: Callable[[int], None] = lambda position: None,
    before_validation: Callable[[], None] = lambda: None,
    *,
    tahun: int,
    triwulan: int,
    pemda: str | None,
    limits: Limits,
) -> Checked:
    """Read and validate one batch of files in this process (`rekap.runtime` runs it in a worker that a
    file may bring down): `before_file(position)` is called before each file is read,
    `before_validation()` before GX."""
    started = time.process_time()
    lists = [i for i in incoming if looks_like_daftar_opd(i.raw_path)]
    parsed = []
    for position, item in enumerate(incoming):
        if item in lists:
            continue
        before_file(position)
        parsed.append(_read(item, limits))
    read = time.process_time()
    before_validation()
    checked = validate_run(parsed, [i for i in incoming if i not in lists], tahun, triwulan, pemda)
    checked.seconds = {"baca": read - started, "validasi": time.process_time() - read}
    checked.passed_over = [PassedOver(i.source_path, DAFTAR_OPD_FOUND) for i in lists]
    return checked


def unfinished(
    items: list[Incoming], reasons: list[str], tahun: int, triwulan: int, pemda: str | None
) -> Checked:
    """The files whose reading or validation did not finish (each with what happened), as rejected
    submissions (rule F14)."""
    parsed = [
        ParsedFile(
            i.file_hash, i.source_path, Path(i.source_path).name, i.raw_path.suffix.lower().lstrip("."),
            size=i.raw_path.stat().st_size, problems=[Problem("F14", detail=reason)],
        )
        for i, reason in zip(items, reasons, strict=True)
    ]  # fmt: skip
    return validate_run(parsed, items, tahun, triwulan, pemda)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames one under the other, with the dtypes one frame of all the rows would have had: empty frames
    are left out, and a text column that was all missing in some part is text again."""
    full = pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)
    for name in full.columns:
        if full[name].dtype == object and any(isinstance(f[name].dtype, pd.StringDtype) for f in frames):
            full[name] = full[name].astype("str")
    return full


def _in_file_order(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings of batches in the order one pass gives (sorted by file, stable within a file)."""
    return findings.sort_values("file_hash", kind="stable").reset_index(drop=True)


def merge_checked(parts: list[Checked]) -> Checked:
    """One run's checked files from those of its batches, as if validated in one pass."""
    if len(parts) == 1:
        return parts[0]
    rows = _concat([p.rows for p in parts])
    rows["row_id"] = range(len(rows))
    first = parts[0]
    return Checked(
        first.tahun,
        first.triwulan,
        first.pemda,
        [f for p in parts for f in p.files],
        [f for p in parts for f in p.deferred],
        _concat([p.berkas for p in parts]),
        rows,
        _in_file_order(_concat([p.findings for p in parts])),
        {step: sum(p.seconds.get(step, 0.0) for p in parts) for step in first.seconds},
        [f for p in parts for f in p.passed_over],
    )


def validate_run(
    parsed: list[ParsedFile],
    incoming: list[Incoming],
    tahun: int,
    triwulan: int,
    pemda: str | None,
) -> Checked:
    """Split off files for later quarters or other years, then validate the rest with GX in one pass."""
    received = {i.file_hash: i.received_at for i in incoming}
    in_run, deferred, named_quarter = [], [], {}
    for f in parsed:
        # Only a valid year of another run is deferred; an impossible one (2019) is rejected here (I03).
        tahun_f = _int_or_none(clean_code(f.identity.get("tahun")), TAHUN_PATTERN)
        tw = identity_triwulan(f)
        named = triwulan_in_name(f.file_name)
        if named is not None and tw is not None and named != tw and min(named, tw) <= triwulan:
            # The file's name and its sheet disagree on its quarter, and one of them is this run's: it is
            # rejected now (I09, both values named) under the quarter its name gives, if this run covers it.
            named_quarter[f.file_hash] = named if named <= triwulan else tw
            in_run.append(f)
        elif (tahun_f is not None and tahun_f != tahun) or (tw is not None and tw > triwulan):
            deferred.append(f)
        else:
            in_run.append(f)
    identities, rows, findings = validate_files(in_run, pemda)
    berkas = berkas_frame(in_run, identities, received, named_quarter)
    # The raw cells are in the canonical frame now; what is kept of each file locates the SQL rules'
    # findings (sheet, columns, identity cells). A national quarter's raw rows are hundreds of MB.
    in_run = [replace(f, rows=[]) for f in in_run]
    return Checked(tahun, triwulan, pemda, in_run, deferred, berkas, rows, findings)


def berkas_frame(
    files: list[ParsedFile],
    identities: pd.DataFrame,
    received: dict[str, dt.datetime],
    quarter: dict[str, int] | None = None,
) -> pd.DataFrame:
    """One row per file as `staging.berkas` takes it: its identity typed (a value that does not fit its
    rule is NULL: its finding says why), when it was received, how many rows were read; `quarter` gives
    the quarter of a file whose name and sheet disagree (`validate_run`)."""
    quarter = quarter or {}
    berkas = pd.DataFrame(
        {
            "file_hash": identities["file_hash"],
            "source_path": [f.source_path for f in files],
            "nama_berkas": [f.file_name for f in files],
            "format": [f.format for f in files],
            "ukuran_byte": [f.size for f in files],
            "kode_pemda": identities["kode_pemda"],
            "nama_pemda": identities["nama_pemda"],
            "tahun": [_int_or_none(t, TAHUN_PATTERN) for t in identities["tahun"]],
            "triwulan": [
                quarter.get(h, _int_or_none(t, r"[1-4]"))
                for h, t in zip(identities["file_hash"], identities["triwulan"], strict=True)
            ],
            "kode_skpd": identities["kode_skpd"],
            "nama_skpd": identities["nama_skpd"],
            "revisi": [_int_or_none(t, r"\d+") for t in identities["revisi"]],
            "tanggal_laporan": [
                dt.date.fromisoformat(t)
                if isinstance(t, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", t)
                else None
                for t in identities["tanggal_laporan"]
            ],
            "penanggung_jawab": identities["penanggung_jawab"],
            "received_at": [received[f.file_hash] for f in files],
            "rows_read": [len(f.rows) if f.readable else 0 for f in files],
        }
    )
    for col in ("tahun", "triwulan", "revisi"):
        berkas[col] = berkas[col].astype("Int64")
    return berkas
