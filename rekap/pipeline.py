"""The steps of a quarter as plain functions: pull, parse, validate, load and roll up, report.
The Prefect tasks in `tasks/` wrap these; tests call them directly."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import marshal
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from rekap.durable import RawCopyError, RawStore
from rekap.errors import RunError
from rekap.isolation import Failure, check_isolated
from rekap.normalize import clean_code, triwulan_in_name
from rekap.reading import ParsedFile, Problem, identity_triwulan, read_submission, sha256_of
from rekap.render import format_rupiah, write_atomically
from rekap.settings import Limits, worker_count
from rekap.validation import Finding, cell_finding, findings_frame, validate_files
from rekap.warehouse import (
    connect,
    copy_ahead,
    fault_point,
    rebuild_marts,
    recorded_for_good,
    run_sql,
    writing,
)
from rekap.wilayah import load_wilayah, reference_findings


@dataclass(frozen=True)
class Incoming:
    """A file pulled from the source and kept in the raw store."""

    file_hash: str
    source_path: str  # where it came from, as the steward knows it
    raw_path: Path  # the immutable copy
    received_at: dt.datetime


class PassedOver(NamedTuple):
    """A file found at the source that the run does not read, with why (in Bahasa Indonesia)."""

    source_path: str
    alasan: str


@dataclass
class Checked:
    """A run's files after validation, ready to load."""

    tahun: int
    triwulan: int
    pemda: str | None
    files: list[ParsedFile]
    deferred: list[ParsedFile]
    berkas: pd.DataFrame
    rows: pd.DataFrame
    findings: pd.DataFrame
    seconds: dict[str, float] = field(default_factory=dict)  # process time by step ("baca", "validasi")
    passed_over: list[PassedOver] = field(default_factory=list)  # files found to be no submission


@dataclass
class RunSummary:
    """What a run did, for the steward and the artifacts."""

    run_id: str
    tahun: int
    triwulan: int
    pemda: list[str] = field(default_factory=list)
    files_new: int = 0
    files_deferred: int = 0
    accepted: int = 0
    rejected: int = 0
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    reports: dict[str, list[str]] = field(default_factory=dict)  # kode_pemda -> files written
    pull_failures: list[tuple[str, str]] = field(default_factory=list)  # (file, reason) not fetched
    passed_over: list[tuple[str, str]] = field(default_factory=list)  # (file, reason) found, not loaded
    rows_skipped: int = 0  # rows below a table's header that are not data (totals, notes, signatures)


# --- pull ----------------------------------------------------------------------------------------


_frozen_runs = 0
_frozen_lock = threading.Lock()


@contextlib.contextmanager
def imports_frozen() -> Iterator[None]:
    """Keep what is alive when a run starts (mostly the imported Prefect, GX, pandas and DuckDB: some
    350,000 objects) out of the garbage collector's full passes until the run ends (`gc.freeze`). A full
    pass over them costs ~0.1 s, and a run's own allocations trigger one: 12 % of a one-file rerun. Forked
    workers then also leave those objects' pages shared. Nested and concurrent runs freeze once; the last
    one out unfreezes, so nothing frozen outlives the runs."""
    global _frozen_runs
    with _frozen_lock:
        if _frozen_runs == 0:
            gc.freeze()
        _frozen_runs += 1
    try:
        yield
    finally:
        with _frozen_lock:
            _frozen_runs -= 1
            if _frozen_runs == 0:
                gc.unfreeze()


# Files that hold no report, known by their names alone: left out, and listed with why.
_OS_FILES = {".ds_store", "thumbs.db", "desktop.ini"}


def passed_over_reason(name: str) -> str | None:
    """Why a file of this name is no submission (an Office lock file, an operating system's own file),
    or None: every other file is read, and rejected with its reason when it is not a report."""
    if name.startswith("~$"):
        return "berkas kunci Office (dokumen sedang terbuka di Excel), bukan laporan"
    if name.lower() in _OS_FILES or name.startswith("._"):
        return "berkas sistem operasi, bukan laporan"
    return None


def list_source(source: Path, exclude: set[Path] = frozenset()) -> list[Path]:
    """The files under a folder that a run reads, in a stable order (relative path, part by part)."""
    return [Path(path) for path, _ in _walk_source(source, exclude)[0]]


def _walk_source(
    source: Path, exclude: set[Path]
) -> tuple[list[tuple[str, os.stat_result]], list[PassedOver]]:
    """The files under `source` to read, as (path, stat) pairs, and those passed over with why: nothing
    under the folder is left out silently. Hidden folders, links to folders and links that lead out of
    the folder are not followed; `exclude` holds files to pass over (the OPD list beside the files).

    With os.scandir on strings: a national source holds ~20,000 files, pathlib costs ~15 us a file, and a
    directory entry knows it is a file without a stat call. Each folder's entries are sorted by name and
    folders entered in that order, which is the order of the paths' parts without building and sorting a
    tuple per file."""
    if not source.exists():
        raise RunError(f"Folder sumber tidak ditemukan: {source}")
    if source.is_file():
        return [(str(source), source.stat())], []
    found: list[tuple[str, os.stat_result]] = []
    passed: list[PassedOver] = []
    excluded = {p.name for p in exclude}
    root = os.path.join(os.path.realpath(source), "")

    def walk(folder: str) -> None:
        with os.scandir(folder) as listing:
            entries = sorted((e.name, e) for e in listing)
        for name, entry in entries:
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if not target.startswith(root):
                    passed.append(PassedOver(entry.path, "tautan ke luar folder sumber, tidak dibaca"))
                    continue
                if os.path.isdir(target):
                    passed.append(PassedOver(entry.path, "tautan ke folder, tidak diikuti"))
                    continue
            if entry.is_dir():
                if name.startswith("."):
                    passed.append(PassedOver(entry.path, "folder tersembunyi, tidak dibaca"))
                else:
                    walk(entry.path)
                continue
            if not entry.is_file():
                passed.append(PassedOver(entry.path, "bukan berkas biasa, tidak dibaca"))
            elif name in excluded and Path(entry.path).resolve() in exclude:
                passed.append(PassedOver(entry.path, "daftar OPD (--daftar-opd), bukan laporan"))
            elif reason := passed_over_reason(name):
                passed.append(PassedOver(entry.path, reason))
            else:
                found.append((entry.path, entry.stat()))

    walk(str(source))
    return found, passed


def pull_local(
    source: Path,
    raw_dir: Path,
    seen: set[str],
    exclude: set[Path] = frozenset(),
    now: dt.datetime | None = None,
) -> list[Incoming]:
    """Files under `source` the warehouse has not seen, copied as received into the raw store."""
    return pull_folder(source, raw_dir, seen, exclude, now)[0]


def pull_folder(
    source: Path,
    raw_dir: Path,
    seen: set[str],
    exclude: set[Path] = frozenset(),
    now: dt.datetime | None = None,
    on_failure: Callable[[str, str], None] | None = None,
) -> tuple[list[Incoming], int, list[PassedOver]]:
    """`pull_local`, how many files the folder listed, and the files passed over with why. Files whose
    path, size and modification time are unchanged since an earlier pull are not hashed again. A file
    that cannot be read or kept (gone, unreadable, changing while copied) goes to `on_failure` with the
    reason (without it, it stops the pull)."""
    listed, passed = _walk_source(source, exclude)
    known = DigestCache(raw_dir, source)
    digests = {}
    for path, stat in listed:
        try:
            digests[path] = known.digest(path, stat)
        except OSError as exc:
            if on_failure is None:
                raise RunError(f"Berkas tidak dapat dibaca: {path}: {exc.strerror or exc}") from exc
            on_failure(path, f"berkas tidak dapat dibaca ({exc.strerror or type(exc).__name__})")
    known.save()
    # Only the files not seen yet go on as paths: at the end of a year, most of a folder has been seen.
    unseen = [(Path(path), path) for path, _ in listed if path in digests and digests[path] not in seen]
    incoming = admit_files(
        unseen, raw_dir, seen, now, digest_of=lambda path: digests[str(path)], on_failure=on_failure
    )
    return incoming, len(listed) + len(passed), passed


def admit_files(
    candidates: Iterable[tuple[Path, str]],
    raw_dir: Path,
    seen: set[str],
    now: dt.datetime | None = None,
    digest_of: Callable[[Path], str] = sha256_of,
    on_failure: Callable[[str, str], None] | None = None,
) -> list[Incoming]:
    """Keep each candidate (a local file, where it came from) the warehouse has not seen in the raw store,
    as `raw_dir/<hash[:2]>/<hash><suffix>`; every source (folder, HTTP, S3) goes through here.
    The same bytes under two names are one submission: only the first is kept. Copies are checked by
    hash and made durable (`durable.RawStore`); a damaged copy already in the store is replaced. A file
    that cannot be kept (unreadable, or changing while it is copied) goes to `on_failure` with the
    reason and is left out; without `on_failure` it stops the pull."""
    now = now or dt.datetime.now()
    incoming, hashes = [], set(seen)
    with RawStore(raw_dir) as store:
        for i, (path, source_path) in enumerate(candidates):
            digest = digest_of(path)
            if digest in hashes:
                continue
            try:
                digest, raw = store.keep(path, digest, path.suffix.lower())
            except RawCopyError as exc:
                if on_failure is None:
                    raise RunError(
                        f"Berkas tidak dapat disimpan di arsip mentah: {source_path}: {exc}"
                    ) from exc
                on_failure(source_path, str(exc))
                continue
            if digest in hashes:  # its bytes changed since it was hashed, into bytes already kept
                continue
            hashes.add(digest)
            # Arrival order within one run is the listing order: a microsecond apart keeps it in the data.
            incoming.append(Incoming(digest, source_path, raw, now + dt.timedelta(microseconds=i)))
    return incoming


class DigestCache:
    """The content hashes of a source folder's files from earlier pulls, keyed on (path, size,
    modification time in ns), as rsync and git do: a quarter's folder holds every earlier file, and
    hashing them all again is most of a small rerun's pull. Kept in the raw store, one file per source
    folder, in `marshal` format (for 20,000 files: written in 0.005 s and read in 0.013 s, against JSON's
    0.03 and 0.02 s, each rerun), named for the Python that wrote it; a stale, unreadable or foreign
    cache only costs a re-hash. Like everything in the raw store, it is trusted: marshal is not meant
    for data an attacker wrote."""

    def __init__(self, raw_dir: Path, source: Path):
        self.prefix = os.path.join(str(source), "")  # entries are keyed by the path below the source
        name = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:16]
        self.path = raw_dir / ".sidik" / f"{name}.{sys.implementation.cache_tag}.marshal"
        self.entries: dict[str, list] = {}
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            entries = marshal.loads(self.path.read_bytes())
            self.entries = entries if isinstance(entries, dict) else {}
        self.used: dict[str, list] = {}

    def digest(self, path: str, stat: os.stat_result) -> str:
        """The hash of the file at `path` whose stat is `stat`: from the cache when it is unchanged."""
        key, signature = path.removeprefix(self.prefix), [stat.st_size, stat.st_mtime_ns]
        entry = self.entries.get(key)
        digest = entry[2] if isinstance(entry, list) and entry[:2] == signature else sha256_of(Path(path))
        self.used[key] = [*signature, digest]
        return digest

    def save(self) -> None:
        """Keep the entries of the files listed this time (atomically: runs may pull at once)."""
        if self.used != self.entries:
            data = marshal.dumps(self.used)
            write_atomically(self.path, lambda tmp: tmp.write_bytes(data))


# --- read and validate ---------------------------------------------------------------------------


def parse_all(incoming: list[Incoming], limits: Limits | None = None) -> list[ParsedFile]:
    """Read every pulled file, in order, in this process (`check_files` spreads a big run over cores)."""
    limits = limits or Limits.from_env()
    return [_read(item, limits) for item in incoming]


def _read(item: Incoming, limits: Limits) -> ParsedFile:
    fault_point("baca", item.source_path)
    return read_submission(
        item.raw_path, source_path=item.source_path, file_hash=item.file_hash, limits=limits
    )


def in_batches(items: list, size: int | None) -> list[list]:
    """Consecutive batches of at most `size` items (one batch of everything when size is None); never
    empty, so that a run with no new file still goes through every step once."""
    if not size:
        return [list(items)]
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _int_or_none(text: object, pattern: str) -> int | None:
    return int(text) if isinstance(text, str) and re.fullmatch(pattern, text) else None


# From this many files a run is read and validated in parallel processes (below, one process is faster
# than starting a pool; the warm worker of `rekap run` takes such runs whole).
PARALLEL_FROM = 200


def copying_ahead(warehouse: Path) -> contextlib.AbstractContextManager[None]:
    """The writer's working copy made while the run reads and validates its files (`warehouse.copy_ahead`)."""
    return copy_ahead(warehouse)


def check_files(
    incoming: list[Incoming],
    tahun: int,
    triwulan: int,
    pemda: str | None,
    workers: int | None = None,
    parallel_from: int = PARALLEL_FROM,
) -> Checked:
    """Read and validate the pulled files of a run in worker processes that a file may bring down
    (`rekap.isolation`): one batch when they are few, else batches of whole files on `workers` processes
    (default: every core), each reading and validating its batch, so that a file's raw rows never leave
    the process that read them (at national scale, shipping them to a second pool cost more than reading
    them). Every rule looks at one row or one file, so the batches together find exactly what one pass
    finds; `merge_checked` puts them back in the order of one pass. A file whose reading or validation
    did not finish within its bounds is rejected with rule F14."""
    limits = Limits.from_env()
    workers = worker_count(workers)
    check = partial(check_batch, tahun=tahun, triwulan=triwulan, pemda=pemda, limits=limits)
    if not incoming:
        return check([])
    # Each batch pays GX's fixed cost of a suite run (about a second); two batches per worker even out
    # their running times, but no batch under about 2,000 files.
    count = (
        1
        if len(incoming) < parallel_from or workers == 1
        else max(workers, min(workers * 2, len(incoming) // 2000))
    )
    outcome = check_isolated(incoming, _by_size(incoming, count), check, limits)
    parts = [checked for _, checked in sorted(outcome.parts, key=lambda part: min(part[0]))]
    if outcome.failures:
        if len(incoming) > 1 and len(outcome.failures) == len(incoming):
            # Every file failed: that is no file's doing but a fault of the program or the machine.
            raise RuntimeError(f"Semua berkas gagal dibaca: {outcome.failures[0].reason}")
        parts.append(_failed(incoming, outcome.failures, tahun, triwulan, pemda))
    return merge_checked(parts)


def _by_size(incoming: list[Incoming], count: int) -> list[list[int]]:
    """`count` consecutive batches (indices into `incoming`) of about the same number of bytes (a
    workbook of 40 sub-kegiatan takes longer than a CSV of 5), so that the workers finish together."""
    sizes = [item.raw_path.stat().st_size for item in incoming]
    share, batches, batch, filled = sum(sizes) / count, [], [], 0
    for i, size in enumerate(sizes):
        batch.append(i)
        filled += size
        if filled >= share * (len(batches) + 1) and len(batches) < count - 1:
            batches.append(batch)
            batch = []
    return [*batches, batch] if batch else batches


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
    """Read and validate one batch of files in this process (`check_files` runs it in a worker):
    `before_file(position)` is called before each file is read, `before_validation()` before GX."""
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


def _failed(
    incoming: list[Incoming], failures: list[Failure], tahun: int, triwulan: int, pemda: str | None
) -> Checked:
    """The files whose reading or validation did not finish, as rejected submissions (rule F14)."""
    items = [incoming[f.index] for f in failures]
    parsed = [
        ParsedFile(
            i.file_hash, i.source_path, Path(i.source_path).name, i.raw_path.suffix.lower().lstrip("."),
            size=i.raw_path.stat().st_size, problems=[Problem("F14", detail=f.reason)],
        )
        for i, f in zip(items, failures, strict=True)
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
        tahun_f = _int_or_none(clean_code(f.identity.get("tahun")), r"20(2\d|3[0-5])")
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
    berkas = pd.DataFrame(
        {
            "file_hash": identities["file_hash"],
            "source_path": [f.source_path for f in in_run],
            "nama_berkas": [f.file_name for f in in_run],
            "format": [f.format for f in in_run],
            "ukuran_byte": [f.size for f in in_run],
            "kode_pemda": identities["kode_pemda"],
            "nama_pemda": identities["nama_pemda"],
            "tahun": [_int_or_none(t, r"20(2\d|3[0-5])") for t in identities["tahun"]],
            "triwulan": [
                named_quarter.get(h, _int_or_none(t, r"[1-4]"))
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
            "received_at": [received[f.file_hash] for f in in_run],
            "rows_read": [len(f.rows) if f.readable else 0 for f in in_run],
        }
    )
    for col in ("tahun", "triwulan", "revisi"):
        berkas[col] = berkas[col].astype("Int64")
    # The raw cells are in the canonical frame now; what is kept of each file locates the SQL rules'
    # findings (sheet, columns, identity cells). A national quarter's raw rows are hundreds of MB.
    in_run = [replace(f, rows=[]) for f in in_run]
    return Checked(tahun, triwulan, pemda, in_run, deferred, berkas, rows, findings)


# --- load and roll up ----------------------------------------------------------------------------


def _check_findings(con, checked: Checked, q: int) -> list[Finding]:  # type: ignore[no-untyped-def]
    """Run the SQL rules (across rows, files and quarters) for one quarter and locate their findings."""
    by_hash = {f.file_hash: f for f in checked.files}
    rows = checked.rows.set_index("row_id")
    found: list[Finding] = []

    def at_row(rule: str, row_id: int, column: str, value: str | None, detail: str = "") -> None:
        row = rows.loc[row_id]
        found.append(cell_finding(by_hash[row["file_hash"]], rule, int(row["baris"]), column, value, detail))

    for row_id, nilai in run_sql(con, "checks/R12_lokasi_di_luar_pemda", triwulan=q):
        at_row("R12", row_id, "lokasi", nilai)
    for file_hash, nilai in run_sql(con, "checks/I11_opd_tidak_terdaftar", triwulan=q):
        f = by_hash[file_hash]
        sheet, baris, kolom = f.identity_where.get("kode_skpd", ("Identitas", None, None))
        found.append(Finding(file_hash, "I11", sheet, baris, kolom, "Kode SKPD", nilai))
    for row_id, nilai_sen, sebelumnya in run_sql(con, "checks/X01_kumulatif_turun", triwulan=q):
        nilai = format_rupiah(_sen(nilai_sen))
        at_row(
            "X01",
            row_id,
            "realisasi_kumulatif",
            nilai,
            f"triwulan ini Rp{nilai}, triwulan lalu Rp{format_rupiah(sebelumnya)}",
        )
    for row_id, nilai_sen, sebelumnya, tw_sen in run_sql(
        con, "checks/X02_tidak_cocok_triwulan_lalu", triwulan=q
    ):
        nilai = format_rupiah(_sen(nilai_sen))
        at_row(
            "X02",
            row_id,
            "realisasi_kumulatif",
            nilai,
            f"s.d. triwulan ini Rp{nilai}, tetapi s.d. triwulan lalu Rp{format_rupiah(sebelumnya)} + "
            f"triwulan ini Rp{format_rupiah(_sen(tw_sen))} = "
            f"Rp{format_rupiah(sebelumnya + _sen(tw_sen))}",
        )
    return found + reference_findings(con, by_hash, rows, q)


def _sen(value: int) -> Decimal:
    return Decimal(int(value)) / 100


# The columns of the CSV of expected OPDs (`--daftar-opd`), which also tell such a file from a report.
DAFTAR_OPD_COLUMNS = ("kode_pemda", "tahun", "kode_skpd", "nama_skpd")
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


def load_daftar_opd(con, path: Path | None) -> None:  # type: ignore[no-untyped-def]
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


def _without_loaded(con, checked: Checked, reread: set[str]) -> tuple[Checked, bool]:  # type: ignore[no-untyped-def]
    """The run without the files another run recorded for good while this one waited for the writer's
    lock (files read again on purpose, `reread`, stay); and whether the warehouse recorded any of the rest
    before (then read again: their old records are replaced)."""
    hashes = list(checked.berkas["file_hash"])
    loaded = recorded_for_good(con, hashes) - reread
    recorded = {h for (h,) in run_sql(con, "core/recorded", hashes=hashes)} - loaded
    if not loaded:
        return checked, bool(recorded)
    return replace(
        checked,
        files=[f for f in checked.files if f.file_hash not in loaded],
        berkas=checked.berkas[~checked.berkas["file_hash"].isin(loaded)],
        rows=checked.rows[~checked.rows["file_hash"].isin(loaded)],
        findings=checked.findings[~checked.findings["file_hash"].isin(loaded)],
    ), bool(recorded)


def reread_incoming(warehouse: Path, raw_dir: Path, prefixes: Iterable[str]) -> list[Incoming]:
    """The recorded files whose hashes start with `prefixes`, taken from the raw store, to be read again
    on purpose (e.g. after a limit was raised); `RunError` for a prefix that names no file or several."""
    prefixes = list(prefixes)
    if not prefixes:
        return []
    if not warehouse.exists():
        raise RunError(f"Gudang data belum ada, tidak ada berkas yang dapat dibaca ulang: {warehouse}")
    con = connect(warehouse, read_only=True)
    try:
        found = {}
        for prefix in prefixes:
            rows = run_sql(con, "core/recorded_by_prefix", awalan=prefix)
            if len(rows) != 1:
                what = (
                    "tidak ada di gudang data"
                    if not rows
                    else f"cocok dengan {len(rows)} berkas; tulis lebih panjang"
                )
                raise RunError(f"Berkas dengan hash {prefix}... {what}")
            found[rows[0][0]] = rows[0]
    finally:
        con.close()
    incoming = []
    for file_hash, source_path, received_at in found.values():
        folder = raw_dir / file_hash[:2]
        names = sorted(os.listdir(folder)) if folder.is_dir() else []
        raw = next((folder / n for n in names if re.fullmatch(rf"{file_hash}(\.[^.]*)?", n)), None)
        if raw is None or sha256_of(raw) != file_hash:
            raise RunError(f"Salinan mentah berkas {file_hash[:12]} tidak ada atau rusak di {folder}")
        incoming.append(Incoming(file_hash, source_path, raw, received_at))
    return incoming


def load_and_roll_up(
    checked: Checked,
    warehouse: Path,
    daftar_opd: Path | None,
    run_id: str,
    reread: set[str] = frozenset(),
    passed_over: list[PassedOver] = (),
) -> RunSummary:
    """Load the run into a working copy quarter by quarter (so each quarter is checked against the
    previous one), rebuild the marts it touched, check the row accounting, and publish atomically."""
    summary = RunSummary(
        run_id,
        checked.tahun,
        checked.triwulan,
        files_new=len(checked.files),
        files_deferred=len(checked.deferred),
    )
    # No enclosing transaction: the working copy is what makes the run all or nothing (published whole, or
    # discarded), and inside an explicit transaction DuckDB 2.0.0 loses the rows of a parallel INSERT that
    # follows an INSERT of no rows (docs/skala.md), which autocommit does not.
    with writing(warehouse) as con:
        checked, read_again = _without_loaded(con, checked, reread)
        summary.files_new = len(checked.berkas)
        load_daftar_opd(con, daftar_opd)
        load_wilayah(con)
        con.register("new_files", checked.berkas)
        con.register("new_rows", checked.rows)
        con.register("new_findings", checked.findings)
        run_sql(con, "staging/load")
        fault_point("muat")
        for name in ("new_files", "new_rows", "new_findings"):
            con.unregister(name)
        if read_again:
            run_sql(con, "core/forget_reread")
        skipped = _skipped_rows_frame(checked.files)
        if len(skipped):
            con.register("baris_dilewati_baru", skipped)
            run_sql(con, "core/insert_baris_dilewati")
            con.unregister("baris_dilewati_baru")
        summary.rows_skipped = len(skipped)
        dilewati = _passed_over_frame([*passed_over, *checked.passed_over], checked)
        if len(dilewati):
            con.register("dilewati_baru", dilewati)
            run_sql(con, "core/insert_berkas_dilewati", run_id=run_id)
            con.unregister("dilewati_baru")
        summary.passed_over = list(zip(dilewati["source_path"], dilewati["alasan"], strict=True))
        # Files whose quarter could not be read go first, as quarter NULL; the pass is skipped when there
        # are none (its steps would all select nothing, and a rerun of one file pays for each statement).
        quarters = sorted({int(q) for q in checked.berkas["triwulan"].dropna()})
        unknown = [None] if checked.berkas["triwulan"].isna().any() else []
        for q in [*unknown, *quarters]:
            if q is not None:
                extra = _check_findings(con, checked, q)
                if extra:
                    con.register("extra_findings", findings_frame(extra))
                    run_sql(con, "staging/insert_temuan_tambahan")
                    con.unregister("extra_findings")
            for step in (
                "insert_submission",
                "insert_validation_issue",
                "insert_realisasi",
                "insert_baris_ditolak",
                "refresh_status",
            ):
                run_sql(con, f"core/{step}", triwulan=q, run_id=run_id)
            run_sql(con, "staging/rekap_ulang", triwulan=q)
            roll_up(con)
        fault_point("rekap")
        accounting = run_sql(con, "core/row_accounting", run_id=run_id)
        if accounting:
            raise RuntimeError(
                f"Akuntansi baris tidak cocok (berkas, dibaca, diterima+ditolak): {accounting}"
            )
        twice = run_sql(con, "core/duplicate_submissions")
        if twice:
            raise RuntimeError(f"Berkas tercatat lebih dari sekali (berkas, kali): {twice}")
        totals = run_sql(con, "core/run_totals", run_id=run_id)[0]
        expected_read = int(checked.berkas["rows_read"].sum()) if len(checked.berkas) else 0
        if int(totals[2] or 0) != expected_read or len(checked.rows) != expected_read:
            raise RuntimeError(f"Baris dibaca {expected_read} tidak sama dengan yang tercatat {totals[2]}")
        (
            summary.accepted,
            summary.rejected,
            summary.rows_read,
            summary.rows_accepted,
            summary.rows_rejected,
        ) = (int(v or 0) for v in totals)
        run_sql(
            con,
            "core/insert_run",
            run_id=run_id,
            tahun=checked.tahun,
            triwulan=checked.triwulan,
            kode_pemda=checked.pemda,
            files_new=summary.files_new,
            files_deferred=summary.files_deferred,
        )
        summary.pemda = [
            p for (p,) in run_sql(con, "report/pemda", tahun=checked.tahun, kode_pemda=checked.pemda)
        ]
    return summary


def _skipped_rows_frame(files: list[ParsedFile]) -> pd.DataFrame:
    """The rows of the files that are not data (`ParsedFile.skipped`), as `core.baris_dilewati` keeps them."""
    records = [(f.file_hash, f.sheet, s.baris, s.jenis, s.teks) for f in files for s in f.skipped]
    frame = pd.DataFrame.from_records(records, columns=["file_hash", "sheet", "baris", "jenis", "teks"])
    return frame.astype({"file_hash": "str", "sheet": "str", "baris": "Int64", "jenis": "str", "teks": "str"})


def _passed_over_frame(passed_over: list[PassedOver], checked: Checked) -> pd.DataFrame:
    """The files found and not loaded, as `core.berkas_dilewati` records them: no submission, or set
    aside for the run of a later quarter or another year."""
    records = [
        {"source_path": p.source_path, "nama_berkas": Path(p.source_path).name, "file_hash": None,
         "jenis": "bukan laporan", "alasan": p.alasan}
        for p in passed_over
    ]  # fmt: skip
    for f in checked.deferred:
        tahun = clean_code(f.identity.get("tahun")) or "?"
        records.append(
            {"source_path": f.source_path, "nama_berkas": f.file_name, "file_hash": f.file_hash,
             "jenis": "ditunda",
             "alasan": f"laporan triwulan {identity_triwulan(f) or '?'} tahun {tahun}: dibaca pada rekap "
             "triwulan itu"}
        )  # fmt: skip
    columns = ["source_path", "nama_berkas", "file_hash", "jenis", "alasan"]
    return pd.DataFrame.from_records(records, columns=columns).astype("str")


def roll_up(con) -> None:  # type: ignore[no-untyped-def]
    """Rebuild the marts of every pemda and year marked in `staging.rekap_ulang`, one set-based statement
    per mart whatever the number of pemda (delete, then insert: reruns are safe)."""
    rebuild_marts(con)


def new_run_id() -> str:
    """An id for a run outside Prefect."""
    return uuid.uuid4().hex


def open_published(warehouse: Path):  # type: ignore[no-untyped-def]
    """Read-only connection to the published warehouse."""
    return connect(warehouse, read_only=True)
