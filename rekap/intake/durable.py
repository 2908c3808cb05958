"""Files that survive a crash or a power cut whole: written under a temporary name, flushed to disk,
checked, renamed, and the rename itself flushed. `RawStore` keeps received files this way; `fsync_folder`
makes a rename durable (the warehouse's publish)."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from rekap.files import sha256_of, sync_filesystem

log = logging.getLogger(__name__)


TEMP_FOLDER = ".sementara"  # in the raw store: copies not yet renamed into place


STALE_TEMP_SECONDS = 24 * 3600  # a temporary copy this old belongs to a run that died


BATCH_FILES = 1_000  # copies made durable together (and at most this many left behind by a crash)


_CHUNK = 1 << 20


class RawCopyError(Exception):
    """A file that could not be kept in the raw store; the message is for the steward."""


def copy_hashing(source: Path, target: Path) -> str:
    """Copy `source` to the new file `target` and return the SHA-256 of the bytes written, read once."""
    digest = hashlib.sha256()
    with open(source, "rb", buffering=0) as src, open(target, "xb") as dst:
        while chunk := src.read(_CHUNK):  # as many bytes as the file has: most are some 10 KB
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


@dataclass
class RawStore:
    """The raw store's writer for one pull: `keep` makes a checked copy of a file under a temporary name,
    `commit` makes a batch of copies durable and renames them into place, as `<hash[:2]>/<hash><suffix>`.
    Used as a context manager: what is kept is committed at the end, or discarded on an error."""

    root: Path
    _pending: list[tuple[Path, Path]] = field(default_factory=list)  # (temporary copy, final name)
    _folders: set[Path] = field(default_factory=set)  # the hash folders this writer has made sure of

    def __post_init__(self) -> None:
        self.temp = self.root / TEMP_FOLDER
        self.temp.mkdir(parents=True, exist_ok=True)
        _remove_stale(self.temp)

    def __enter__(self) -> RawStore:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            for tmp, _ in self._pending:
                tmp.unlink(missing_ok=True)
            self._pending.clear()

    def keep(self, source: Path, digest: str, suffix: str) -> tuple[str, Path]:
        """`_keep`, with a source that cannot be read as `RawCopyError` (a full store stays an OSError:
        the operator must act, not the OPD)."""
        try:
            return self._keep(source, digest, suffix)
        except OSError as exc:
            if exc.filename != str(source):
                raise
            raise RawCopyError(f"berkas tidak dapat dibaca ({exc.strerror})") from exc

    def _keep(self, source: Path, digest: str, suffix: str) -> tuple[str, Path]:
        """Keep `source`, whose hash is `digest`, in the store; return (its hash, its copy). A copy already
        there is checked (size, then hash) and replaced when damaged. The new copy's hash, taken while
        copying, must be `digest`; when it is not (the file changed since it was hashed, or a stale
        cache gave the hash), the file is copied once more, and the same hash twice is the file's hash
        now. Otherwise `RawCopyError`, and no copy is kept."""
        raw = self._path(digest, suffix)
        if self._intact(raw, source, digest):
            return digest, raw
        tmp, copied = self._copy(source)
        if copied != digest:
            first = copied
            tmp.unlink()
            tmp, copied = self._copy(source)
            if copied not in (digest, first):
                tmp.unlink()
                raise RawCopyError("isi berkas berubah selama disalin; diambil lagi pada run berikutnya")
            if copied != digest:
                log.info("Isi berkas berubah sejak di-hash, dicatat dengan hash barunya: %s", source)
                digest, raw = copied, self._path(copied, suffix)
                if self._intact(raw, source, digest):
                    tmp.unlink()
                    return digest, raw
        self._pending.append((tmp, raw))
        if len(self._pending) >= BATCH_FILES:
            self.commit()
        return digest, raw

    def commit(self) -> None:
        """Flush the copies kept so far, rename them into place, and flush the renames."""
        if not self._pending:
            return
        sync_filesystem(self.root)
        for tmp, raw in self._pending:
            if raw.parent not in self._folders:  # 256 folders, thousands of files
                raw.parent.mkdir(exist_ok=True)
                self._folders.add(raw.parent)
            os.replace(tmp, raw)
        sync_filesystem(self.root)
        self._pending.clear()

    def _path(self, digest: str, suffix: str) -> Path:
        return self.root / digest[:2] / f"{digest}{suffix}"

    def _copy(self, source: Path) -> tuple[Path, str]:
        tmp = self.temp / f"{uuid.uuid4().hex}.tmp"  # a name of its own: runs may store the same file at once
        try:
            return tmp, copy_hashing(source, tmp)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    @staticmethod
    def _intact(raw: Path, source: Path, digest: str) -> bool:
        """Whether the copy in the store holds the file: same size, and the hash it is named for."""
        try:
            size = raw.stat().st_size
        except FileNotFoundError:
            return False
        if size == source.stat().st_size and sha256_of(raw) == digest:
            return True
        log.warning("Salinan mentah rusak (ukuran %d byte), diganti dengan salinan baru: %s", size, raw)
        return False


def _remove_stale(temp: Path) -> None:
    """Remove the temporary copies of runs that died (older than a day: a live run commits sooner)."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    with os.scandir(temp) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
