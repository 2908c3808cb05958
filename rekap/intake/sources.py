"""Where the OPD files come from: a local folder (the default), an HTTP(S) server (a listing page with
links, or an index file listing URLs), or S3-compatible object storage (`s3://bucket/prefix`).

Remote files are fetched each with its own retries and exponential backoff on transient failures
(connection errors, timeouts, HTTP 5xx and 429). A file that still fails is reported with its reason and
the others go on. Every file then takes the one path into the raw store that local files take
(`pipeline.admit_files`): hashed, kept as received, seen files skipped.

A remote source is bounded (`settings.RemoteSource`): each download by the reader's file size limit,
checked while it streams; the whole pull by a deadline; a listing by depth, pages and files. An HTTP pull
reaches the source's own host and port, and public addresses: a redirect or an index line that leads to
a loopback, link-local or private address is refused unless that host or network is allowed, and it is
checked when the name is resolved, on the address actually connected to. Names from a listing or an S3
key are only shown (`source_path`), never used as paths. Credentials travel in a header from a Secret
block; a URL that carries some is shown redacted (`redaction.redact`)."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from rekap.contract.errors import RunError
from rekap.intake.folder import PassedOver, passed_over_reason, pull_folder
from rekap.intake.http import _Http
from rekap.intake.raw import Incoming, admit_files
from rekap.intake.remote import (
    _S3,
    FetchFailed,
    PullFailure,
    Refused,
    _Client,
    _download_each,
    _with_retries,
    shown_url,
)
from rekap.settings import RemoteSource, Retry

log = logging.getLogger(__name__)


SourceKind = Literal["local", "http", "s3"]


@dataclass
class Pulled:
    """The outcome of a pull: new files in the raw store, files that failed, and the counts between."""

    incoming: list[Incoming]
    failures: list[PullFailure] = field(default_factory=list)
    listed: int = 0  # candidate files found at the source
    reread: set[str] = field(default_factory=set)  # recorded files read again on purpose (by hash)
    passed_over: list[PassedOver] = field(default_factory=list)  # found but not read, with why

    @property
    def already_seen(self) -> int:
        """Files found that the warehouse already has (or the same bytes twice in this pull)."""
        return (
            self.listed - len(self.failures) - len(self.incoming) + len(self.reread) - len(self.passed_over)
        )


def source_kind(source: str) -> SourceKind:
    """What kind of source a location names: `http(s)://...`, `s3://...`, else a local folder."""
    if "://" not in source:
        return "local"
    scheme = source.split("://", 1)[0].lower()
    if scheme in {"http", "https"}:
        return "http"
    if scheme in {"s3", "s3a"}:
        return "s3"
    if scheme == "file":
        return "local"
    raise RunError(f"Jenis sumber tidak dikenal: {shown_url(source)} (gunakan folder, http(s):// atau s3://)")


def pull(
    source: str,
    raw_dir: Path,
    seen: set[str],
    exclude: set[Path] = frozenset(),
    *,
    storage_options: dict[str, Any] | None = None,
    retry: Retry | None = None,
    remote: RemoteSource | None = None,
    now: dt.datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Pulled:
    """Pull every file at `source` the warehouse has not seen into the raw store. `exclude` holds local
    files to pass over (e.g. the OPD list kept beside the submissions); for a remote source, files of
    the same name are passed over. A remote pull is bounded by `remote` (default: from the settings)."""
    kind = source_kind(source)
    retry = retry or Retry()
    if kind == "local":
        folder = Path(source.removeprefix("file://"))
        failures: list[PullFailure] = []
        incoming, listed, passed_over = pull_folder(
            folder,
            raw_dir,
            seen,
            exclude,
            now,
            on_failure=lambda path, why: failures.append(PullFailure(path, why)),
        )
        return Pulled(incoming, failures, listed, passed_over=passed_over)
    remote = remote or RemoteSource.from_settings()
    parts = urlsplit(source)
    if parts.username or parts.password or parts.query:
        log.warning(
            "URL sumber memuat kredensial atau parameter; simpan kredensial sebagai Secret "
            "REKAP_HTTP_AUTH_HEADER (URL ditampilkan tersamar: %s)",
            shown_url(source),
        )
    deadline = time.monotonic() + remote.deadline_seconds
    client: _Client = (
        _Http(source, remote, deadline) if kind == "http" else _S3(source, remote, deadline, storage_options)
    )
    try:
        try:
            found, skipped = client.listing(lambda fn, url: _with_retries(fn, retry, sleep, url))
        except (FetchFailed, Refused) as exc:
            raise RunError(f"Sumber tidak dapat dibaca: {shown_url(source)}: {exc}") from None
        skip_names = {p.name for p in exclude}
        urls, passed_over = [], []
        for url in found:
            name = client.name_of(url)
            reason = (
                "daftar OPD (--daftar-opd), bukan laporan" if name in skip_names else passed_over_reason(name)
            )
            if reason:
                passed_over.append(PassedOver(shown_url(url), reason))
            else:
                urls.append(url)
        failures = list(skipped)
        with tempfile.TemporaryDirectory(prefix="unduhan-") as tmp:
            digests: dict[Path, str] = {}
            fetched = _download_each(client, urls, Path(tmp), retry, sleep, failures, digests)
            incoming = admit_files(
                fetched,
                raw_dir,
                seen,
                now,
                digest_of=digests.__getitem__,
                on_failure=lambda path, reason: failures.append(PullFailure(path, reason)),
            )
    finally:
        client.close()
    return Pulled(incoming, failures, len(found) + len(skipped), passed_over=passed_over)
