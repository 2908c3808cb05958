"""The raw store: every file a run takes in, kept as received under its hash."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rekap.contract.errors import RunError
from rekap.files import sha256_of
from rekap.intake.durable import RawCopyError, RawStore
from rekap.warehouse.sql import run_sql
from rekap.warehouse.store import connect


@dataclass(frozen=True)
class Incoming:
    """A file pulled from the source and kept in the raw store."""

    file_hash: str
    source_path: str  # where it came from, as the steward knows it
    raw_path: Path  # the immutable copy
    received_at: dt.datetime


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
