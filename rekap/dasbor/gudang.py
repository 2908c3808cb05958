"""The published warehouse as the dashboard reads it: read-only, one complete publish at a time.

A run publishes by `os.replace` of a finished file (`rekap.warehouse.writer.writing`). The dashboard never
opens the writer's working copy nor takes its lock. It notices a new publish by the file's identity (device,
inode, size, modification time) at each request and attaches the new file to a fresh in-memory DuckDB
instance; requests already running finish on the instance they started with (the old file stays readable
through its open descriptor until they end), so a page is always built from one publish, never half of one.
Each publish gets its own instance because DuckDB keeps one instance per path: opening the same path again
while the old instance lives would return the old file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from rekap.warehouse.sql import query_rows
from rekap.warehouse.store import connect

# Tables a page reads that a warehouse published before this version of rekap-ke lacks.
REQUIRED = ("ref.wilayah", "core.sasaran_desa", "mart.rekap_opd", "mart.realisasi_rinci", "mart.berkas")


class GudangTidakSiap(Exception):
    """The published warehouse is missing or not readable yet; the message is for the steward."""


@dataclass(frozen=True)
class Snapshot:
    """One request's view of one publish: a cursor, and which publish it is."""

    con: duckdb.DuckDBPyConnection
    versi: str  # identifies the publish (changes with every run that publishes)
    terbit: dt.datetime  # when it was published (the file's modification time)


@dataclass
class _Publish:
    key: tuple[int, int, int, int]
    instance: duckdb.DuckDBPyConnection
    terbit: dt.datetime
    users: int = 0
    retired: bool = False

    @property
    def versi(self) -> str:
        return _versi(self.key)


def _identity(path: Path) -> tuple[int, int, int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _versi(key: tuple[int, int, int, int]) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()[:12]


class Gudang:
    """The published warehouse at `path`, opened read-only per publish (see the module's docstring)."""

    def __init__(self, path: Path, memory_limit: str = "128MB", threads: int = 1):
        self.path = Path(path)
        self.memory_limit = memory_limit
        self.threads = threads
        self._lock = threading.Lock()
        self._current: _Publish | None = None

    def versi(self) -> str:
        """The version of the file published now, without opening it (for the pages' live check)."""
        try:
            key = _identity(self.path)
        except OSError as exc:
            raise GudangTidakSiap(f"Gudang data tidak ditemukan: {self.path}") from exc
        return _versi(key)

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """A cursor on the publish current when called, held for the block (one request)."""
        publish = self._acquire()
        try:
            cursor = publish.instance.cursor()
            try:
                cursor.execute("USE gudang")
                yield Snapshot(cursor, publish.versi, publish.terbit)
            finally:
                cursor.close()
        finally:
            self._release(publish)

    def close(self) -> None:
        """Close the instance of the current publish (the server is stopping)."""
        with self._lock:
            if self._current is not None:
                self._current.retired = True
                if self._current.users == 0:
                    self._current.instance.close()
                self._current = None

    def _acquire(self) -> _Publish:
        with self._lock:
            try:
                key = _identity(self.path)
            except OSError as exc:
                raise GudangTidakSiap(f"Gudang data tidak ditemukan: {self.path}") from exc
            if self._current is None or self._current.key != key:
                fresh = self._open()
                if self._current is not None:
                    self._current.retired = True
                    if self._current.users == 0:
                        self._current.instance.close()
                self._current = fresh
            self._current.users += 1
            return self._current

    def _release(self, publish: _Publish) -> None:
        with self._lock:
            publish.users -= 1
            if publish.retired and publish.users == 0:
                publish.instance.close()

    def _open(self) -> _Publish:
        """Attach the published file to a new in-memory instance. The file's identity is taken before and
        after the attach: if a publish replaced it in between, which file was attached is unknown, and it is
        attached again."""
        for _ in range(10):
            before = _identity(self.path)
            instance = connect(":memory:")
            try:
                instance.execute("SET memory_limit = $m", {"m": self.memory_limit})
                instance.execute("SET threads = $t", {"t": self.threads})
                # A query too big for the memory limit spills here, never beside the warehouse (read-only).
                instance.execute(
                    "SET temp_directory = $d", {"d": str(Path(tempfile.gettempdir()) / "rekap-dasbor")}
                )
                instance.execute("ATTACH $path AS gudang (READ_ONLY)", {"path": str(self.path)})
                if _identity(self.path) != before:
                    instance.close()
                    continue
                self._check_tables(instance)
            except BaseException:
                instance.close()
                raise
            return _Publish(before, instance, dt.datetime.fromtimestamp(before[3] / 1e9))
        raise GudangTidakSiap(f"Gudang data {self.path} berganti terus saat dibuka; coba lagi sebentar lagi.")

    def _check_tables(self, instance: duckdb.DuckDBPyConnection) -> None:
        """Refuse a warehouse published by an older rekap-ke, which lacks tables the pages read."""
        present = {name for (name,) in query_rows(instance, "dasbor/tabel_gudang")[1]}
        missing = [name for name in REQUIRED if name not in present]
        if missing:
            raise GudangTidakSiap(
                f"Gudang data {self.path} belum memuat {', '.join(missing)}: jalankan rekap sekali dengan "
                "versi rekap-ke ini agar tabelnya dibuat."
            )
