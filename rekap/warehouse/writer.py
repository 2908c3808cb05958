"""The warehouse's one writer: its lock, a working copy of the published file, and the atomic publish
that readers never see half of."""

from __future__ import annotations

import datetime as dt
import fcntl
import glob
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import duckdb

from rekap.faults import fault_point
from rekap.files import fsync_folder
from rekap.warehouse.store import connect, create_schema


def working_prefix(published: Path) -> str:
    """The start of the name of every working copy of `published` (readers must never open those)."""
    return published.name + ".kerja"


def _new_working_path(published: Path) -> Path:
    """A working copy's own name, with the process that made it: runs may copy ahead at the same time."""
    return published.with_name(f"{working_prefix(published)}-{os.getpid()}-{uuid.uuid4().hex[:8]}")


@dataclass
class WorkingCopy:
    """A working copy: its file, the published file's state it was copied from, its connection."""

    path: Path
    source: tuple[int, int, int] | None
    con: duckdb.DuckDBPyConnection
    taken: bool = False  # by a writer: the copy is its to publish or discard

    def discard(self) -> None:
        """Close and remove the copy (nothing happens to a copy already published: its file is gone)."""
        self.con.close()
        _discard(self.path)


def _state(published: Path) -> tuple[int, int, int] | None:
    """What tells one publish of the file from the next (each publish is a new file renamed in place)."""
    try:
        stat = published.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


@contextmanager
def writing(published: Path, ahead: Future[WorkingCopy] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a working copy of the published warehouse for writing; on success publish it atomically.

    One writer per warehouse, whoever starts it (schedule, steward, CLI): the writer's lock is taken here,
    for the load and the publish only, and a second run waits for it (at most REKAP_MAX_LOCK_WAIT_SECONDS)
    until the first has published, so runs queue instead of racing. The OS drops the lock if the holder
    dies. Readers keep reading the published file (or their snapshot of it) throughout. If the run dies,
    its working copy is left behind and discarded by a later run, and the published file is untouched.
    The working copy is the unit of atomicity: statements on it autocommit, and must not be wrapped in
    an explicit transaction (DuckDB 2.0.0 then loses a parallel INSERT following an INSERT of no rows).
    A copy made ahead (`ahead`: `make_working_copy` started before the lock, see `rekap.runtime`) is taken
    up when the published file has not changed since.
    """
    lock = _lock(published)
    work = None
    try:
        copy = _taken_up(ahead, published)
        _discard_stale(published, keep=copy.path if copy else None)
        copy = copy or make_working_copy(published)
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


def _taken_up(ahead: Future[WorkingCopy] | None, published: Path) -> WorkingCopy | None:
    """The copy made ahead, if it was made, no writer took it up before, and the published file has not
    changed since."""
    if ahead is None:
        return None
    try:
        copy = ahead.result()
    except Exception:
        return None  # copied again under the lock, where a lasting fault shows itself
    if copy.taken:
        return None
    copy.taken = True
    if copy.source == _state(published):
        return copy
    copy.discard()
    return None


def make_working_copy(published: Path) -> WorkingCopy:
    """Copy the published file (if any) to a new working copy, flushed, opened and migrated; no lock is
    taken for it (`writing` checks that the published file is still the one copied)."""
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
        return make_working_copy(published)
    return WorkingCopy(work, source, con)


def _lock(published: Path) -> IO[str]:
    """The writer's lock of `published`, waited for at most `settings.lock_wait_seconds()`; the lock
    file then names the holder, for the message of the next run that waits."""
    from rekap.contract.errors import RunError
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
