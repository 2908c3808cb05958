"""Files on disk: hashed, written through a temporary name only inside the folder they belong to, and
made durable."""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any


def output_path(folder: Path, name: str) -> Path:
    """`folder / name`, refusing a name that would put the file anywhere else (a separator, `..`, a
    leading dot, a control character): names are built from codes that may come from a submitted file."""
    if (
        not name
        or name.startswith(".")
        or any(c in name for c in "/\\")
        or any(ord(c) < 32 for c in name)
        or (folder / name).resolve().parent != folder.resolve()
    ):
        raise ValueError(f"nama berkas keluaran tidak sah: {name!r}")
    return folder / name


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Write through a temporary file beside `path`, so no reader sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def sha256_of(path: Path) -> str:
    """Content hash of a file: the identity of a submission."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fsync_folder(folder: Path) -> None:
    """Make the entries of a folder durable: a file renamed into it survives a power cut."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@cache
def _syncfs() -> Any:
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    return getattr(libc, "syncfs", None)


def sync_filesystem(folder: Path) -> None:
    """Flush every written file and rename of the file system that holds `folder`, and wait (Linux
    `syncfs`; elsewhere `sync`). One call makes a batch of files durable: an fsync per file costs about
    ten times as much for the small files OPDs send (docs/skala.md)."""
    syncfs = _syncfs()
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if syncfs is None or syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)
