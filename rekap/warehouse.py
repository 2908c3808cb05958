"""The DuckDB warehouse: SQL files from `sql/` run by name, a working copy written by the one writer,
and an atomic publish so readers never see half a quarter."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import glob
import os
import shutil
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import duckdb

from rekap.durable import fsync_folder
from rekap.settings import SQL_DIR

if TYPE_CHECKING:  # pandas is imported by DuckDB when a frame is asked for; readers that never ask, spare it
    import pandas as pd

# Each file's statements as DuckDB's parser splits them, parsed once per process (by name).
_parsed: dict[str, tuple[duckdb.Statement, ...]] = {}


def sql_statements(con: duckdb.DuckDBPyConnection, name: str) -> tuple[duckdb.Statement, ...]:
    """The statements of `sql/<name>.sql`, split by DuckDB's own parser (which names their parameters)."""
    statements = _parsed.get(name)
    if statements is None:
        text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
        statements = _parsed.setdefault(name, tuple(con.extract_statements(text)))
    return statements


def _execute(
    con: duckdb.DuckDBPyConnection, statement: duckdb.Statement, params: dict[str, Any]
) -> duckdb.DuckDBPyConnection:
    """Run one statement with the parameters it names bound."""
    wanted = {p: params[p] for p in statement.named_parameters}
    return con.execute(statement.query, wanted) if wanted else con.execute(statement.query)


def run_sql(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[tuple[Any, ...]]:
    """Run `sql/<name>.sql` with bound parameters; return the rows of its last statement."""
    rows: list[tuple[Any, ...]] = []
    for statement in sql_statements(con, name):
        cursor = _execute(con, statement, params)
        rows = cursor.fetchall() if cursor.description else []
    return rows


def query_frame(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run a one-statement query file and return its rows as a frame (for non-money use only)."""
    (statement,) = sql_statements(con, name)
    return _execute(con, statement, params).df()


def query_rows(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> tuple[list[str], list[tuple]]:
    """Run a one-statement query file: (column names, rows) with DECIMAL kept as Decimal."""
    (statement,) = sql_statements(con, name)
    cursor = _execute(con, statement, params)
    return [d[0] for d in cursor.description], cursor.fetchall()


# Files written in this storage format open in DuckDB 1.5 clients too (analysts' tools lag behind).
STORAGE_VERSION = "v1.4.0"


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a warehouse file with nothing allowed to reach the network."""
    config = {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}
    if not read_only:
        config["storage_compatibility_version"] = STORAGE_VERSION
    return duckdb.connect(str(path), read_only=read_only, config=config)


# Every mart, in the order it is built: each file of sql/marts/ defines its table or view (its CREATE
# statement) and rebuilds the table from core and the marts before it (its other statements).
MARTS = (
    "realisasi_rinci", "rekap_opd", "rekap_strategi", "berkas",
    "asal", "rekap_provinsi", "run", "temuan", "berkas_dilewati", "opd_terdaftar", "sasaran_desa",
)  # fmt: skip


def _mart_statements(con: duckdb.DuckDBPyConnection, mart: str, definition: bool) -> list[duckdb.Statement]:
    """A mart file's definition (its CREATE statement) or its rebuild (the others)."""
    statements = sql_statements(con, f"marts/{mart}")
    return [s for s in statements if (s.type == duckdb.StatementType.CREATE) == definition]


def _mart_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {name for (name,) in run_sql(con, "migrations/mart_tables")}


def rebuild_marts(con: duckdb.DuckDBPyConnection, marts: tuple[str, ...] = MARTS) -> None:
    """Rebuild the mart tables for every pemda and year marked in `staging.rekap_ulang` (delete, then insert,
    one set-based statement each whatever the number of pemda); a view has nothing to rebuild."""
    for mart in marts:
        for statement in _mart_statements(con, mart, definition=False):
            con.execute(statement.query)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every schema, table and view that does not exist yet, and bring an older warehouse's tables to
    their present definition."""
    # core.submission made with a PRIMARY KEY on file_hash: moved aside, created again as
    # sql/schema/02_core_submission.sql defines it now, and copied back.
    ((indexed,),) = run_sql(con, "migrations/submission_indexed")
    if indexed:
        run_sql(con, "migrations/submission_aside")
    for path in sorted((SQL_DIR / "schema").glob("*.sql")):
        run_sql(con, f"schema/{path.stem}")
    if indexed:
        run_sql(con, "migrations/submission_back")
    before = _mart_tables(con)
    for mart in MARTS:
        for statement in _mart_statements(con, mart, definition=True):
            con.execute(statement.query)
    # Marts made with their sums as DECIMAL(18,2), which a pemda's total need not fit: widened in place.
    ((narrow,),) = run_sql(con, "migrations/mart_sums_narrow")
    if narrow:
        run_sql(con, "migrations/mart_sums_decimal38")
    # A mart table new to this warehouse is filled from what it holds already.
    rebuild_marts(con, tuple(m for m in MARTS if m in _mart_tables(con) - before))


def working_prefix(published: Path) -> str:
    """The start of the name of every working copy of `published` (readers must never open those)."""
    return published.name + ".kerja"


def _new_working_path(published: Path) -> Path:
    """A working copy's own name, with the process that made it: runs may copy ahead at the same time."""
    return published.with_name(f"{working_prefix(published)}-{os.getpid()}-{uuid.uuid4().hex[:8]}")


@dataclass
class _Copy:
    """A working copy: its file, the published file's state it was copied from, its connection."""

    path: Path
    source: tuple[int, int, int] | None
    con: duckdb.DuckDBPyConnection


def _state(published: Path) -> tuple[int, int, int] | None:
    """What tells one publish of the file from the next (each publish is a new file renamed in place)."""
    try:
        stat = published.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


@contextmanager
def writing(published: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a working copy of the published warehouse for writing; on success publish it atomically.

    One writer per warehouse, whoever starts it (schedule, steward, CLI): the writer's lock is taken here,
    for the load and the publish only, and a second run waits for it (at most REKAP_MAX_LOCK_WAIT_SECONDS)
    until the first has published, so runs queue instead of racing. The OS drops the lock if the holder
    dies. Readers keep reading the published file (or their snapshot of it) throughout. If the run dies,
    its working copy is left behind and discarded by a later run, and the published file is untouched.
    The working copy is the unit of atomicity: statements on it autocommit, and must not be wrapped in
    an explicit transaction (DuckDB 2.0.0 then loses a parallel INSERT following an INSERT of no rows).
    A copy made ahead (`copy_ahead`) is taken up when the published file has not changed since.
    """
    ahead = _ahead.pop(published.absolute(), None)
    lock = _lock(published)
    work = None
    try:
        copy = _taken_up(ahead, published)
        _discard_stale(published, keep=copy.path if copy else None)
        copy = copy or _copy(published)
        work = copy.path
        try:
            yield copy.con
            copy.con.execute("CHECKPOINT")
            fault_point("sebelum-terbit")
        finally:
            copy.con.close()
        with open(work, "rb+") as fh:
            os.fsync(fh.fileno())
        # The old file's blocks are freed when its last descriptor closes (0.03 s for 124 MiB on ext4):
        # one held across the rename and closed by a background thread keeps that off the run's path.
        old = os.open(published, os.O_RDONLY) if published.exists() else None
        os.replace(work, published)
        fsync_folder(published.parent)  # the rename itself survives a power cut
        work = None
        if old is not None:
            threading.Thread(target=os.close, args=(old,), name="rekap-lepas-lama", daemon=True).start()
        fault_point("setelah-terbit")
    finally:
        if work is not None:
            _discard(work)
        _unlock(lock)


# Working copies being made ahead, by the published file's absolute path.
_ahead: dict[Path, Future[_Copy]] = {}


@contextmanager
def copy_ahead(published: Path, enabled: bool = True) -> Iterator[None]:
    """Make the writer's working copy in a background thread while the block runs (a run reads and
    validates its files meanwhile): the copy and its flush to disk, connecting and the schema take
    0.13 s for a national warehouse of 124 MiB, a sixth of a one-file rerun. No lock is taken for it:
    `writing` inside the block takes the copy up if the published file is still the one copied (else it
    copies again, under the lock); one left untaken is discarded when the block ends."""
    key = published.absolute()
    if not enabled or key in _ahead:
        yield
        return
    with ThreadPoolExecutor(1, thread_name_prefix="rekap-salinan") as pool:
        future = _ahead[key] = pool.submit(_copy, published)
        try:
            yield
        finally:
            if _ahead.get(key) is future:
                del _ahead[key]
                with contextlib.suppress(Exception):
                    copy = future.result()
                    copy.con.close()
                    _discard(copy.path)


def _taken_up(ahead: Future[_Copy] | None, published: Path) -> _Copy | None:
    """The copy made ahead, if it was made and the published file has not changed since."""
    if ahead is None:
        return None
    try:
        copy = ahead.result()
    except Exception:
        return None  # copied again under the lock, where a lasting fault shows itself
    if copy.source == _state(published):
        return copy
    copy.con.close()
    _discard(copy.path)
    return None


def _copy(published: Path) -> _Copy:
    """Copy the published file (if any) to a new working copy, flushed, opened and migrated."""
    published.parent.mkdir(parents=True, exist_ok=True)
    fault_point("mulai")
    work = _new_working_path(published)
    source = _state(published)
    try:
        if source is not None:
            shutil.copyfile(published, work)
            with open(work, "rb+") as fh:  # flushed now, not at the run's first checkpoint
                os.fsync(fh.fileno())
        con = connect(work)
        try:
            create_schema(con)
        except BaseException:
            con.close()
            raise
    except BaseException:
        _discard(work)
        raise
    if source != _state(published):  # published meanwhile: this copy may be torn; copy again
        con.close()
        _discard(work)
        return _copy(published)
    return _Copy(work, source, con)


def _lock(published: Path) -> IO[str]:
    """The writer's lock of `published`, waited for at most `settings.lock_wait_seconds()`; the lock
    file then names the holder, for the message of the next run that waits."""
    from rekap.errors import RunError
    from rekap.settings import lock_wait_seconds

    published.parent.mkdir(parents=True, exist_ok=True)
    lock = open(published.with_name(published.name + ".lock"), "a+")  # noqa: SIM115 (held past return)
    limit = lock_wait_seconds()
    deadline = time.monotonic() + limit
    while True:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                lock.seek(0)
                holder = lock.read().strip() or "run lain"
                lock.close()
                raise RunError(
                    f"Gudang data {published} sedang ditulis ({holder}); sudah menunggu {limit:g} detik. "
                    "Jalankan lagi nanti, atau naikkan REKAP_MAX_LOCK_WAIT_SECONDS."
                ) from None
            time.sleep(0.1)
    lock.seek(0)
    lock.truncate()
    lock.write(f"proses {os.getpid()} sejak {dt.datetime.now():%Y-%m-%d %H:%M:%S}")
    lock.flush()
    return lock


def _discard_stale(published: Path, keep: Path | None) -> None:
    """Remove the working copies of runs that died (their process is gone), under the lock."""
    prefix = working_prefix(published)
    for path in published.parent.glob(f"{glob.escape(prefix)}*"):
        base = path.name.removesuffix(".wal")
        if keep is not None and base == keep.name:
            continue
        parts = base.removeprefix(prefix).split("-")
        pid = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None
        if pid is None or not _alive(pid):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _discard(work: Path) -> None:
    for stale in (work, work.with_name(work.name + ".wal")):
        stale.unlink(missing_ok=True)


def _unlock(lock: IO[str]) -> None:
    lock.seek(0)
    lock.truncate()
    fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    lock.close()


FAULT = "REKAP_UJI_MATI_DI"  # the fault-injection tests' setting: `stage`, or `stage:part of a file name`


def fault_point(stage: str, what: str = "") -> None:
    """Crash-safety tests make the run fail here when `REKAP_UJI_MATI_DI` names this stage (and, after a
    colon, a part of `what`, e.g. the file being read): `mati` kills the process (SIGKILL, as an operator
    or the OOM killer would), `lambat` hangs it, `memori` makes it allocate without end. A no-op
    otherwise."""
    wanted = os.environ.get(FAULT)
    if not wanted:
        return
    name, _, part = wanted.partition(":")
    fault, _, where = name.rpartition("@")
    if where != stage or (part and part not in what):
        return
    if fault == "lambat":
        time.sleep(3600)
    elif fault == "memori":
        hog = [bytearray(2**28) for _ in range(1 << 16)]  # 16 TiB at most: the memory bound comes first
        del hog
    else:
        os.kill(os.getpid(), signal.SIGKILL)


def seen_hashes(published: Path) -> set[str]:
    """Hashes of every file the published warehouse has recorded for good (a file rejected only by a
    rule that depends on the run's settings is read again, `sql/core/recorded_for_good.sql`)."""
    if not published.exists():
        return set()
    con = connect(published, read_only=True)
    try:
        return recorded_for_good(con)
    finally:
        con.close()


def recorded_for_good(con: duckdb.DuckDBPyConnection, hashes: list[str] | None = None) -> set[str]:
    """Which of `hashes` (default: every file) the warehouse has recorded for good."""
    from rekap.rules import SETTINGS_RULES

    (statement,) = sql_statements(con, "core/recorded_for_good")
    params = {"hashes": hashes, "aturan_pengaturan": sorted(SETTINGS_RULES)}
    # As one column (a national warehouse holds ~20,000 hashes: 2.5 x faster than row tuples).
    return set(_execute(con, statement, params).fetchnumpy()["file_hash"].tolist())
