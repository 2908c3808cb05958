"""Fetching files from a remote source: retries with backoff on transient failures, a deadline and a size
cap for the whole pull, S3-compatible storage, and the reasons a file could not be fetched, in words a
steward can act on."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple
from urllib.parse import quote, unquote

from rekap.contract.format import format_angka
from rekap.intake.redaction import redact
from rekap.settings import RemoteSource, Retry

log = logging.getLogger(__name__)
_CHUNK = 1 << 16


class Refused(Exception):
    """A fetch stopped by a limit or by where it would lead, never tried again; the message says why and
    how to raise the limit, in Bahasa Indonesia."""


class HttpStatus(Exception):
    """An HTTP answer that is not the file (the URL is left out: it may carry credentials)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


def _check_count(count: int, remote: RemoteSource) -> None:
    if count > remote.max_files:
        raise Refused(
            f"daftar berkas memuat lebih dari {remote.max_files} berkas; naikkan REKAP_PULL_MAX_FILES "
            "bila sumbernya memang sebesar itu"
        )


def _suffix(name: str) -> str:
    """The suffix a local copy may carry: letters and digits after the last dot, else none (a name from a
    source is never a path, nor part of one)."""
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else ""


class FetchFailed(Exception):
    """A fetch that failed for good; the message is the reason, in Bahasa Indonesia."""


class _Client:
    """What a pull needs of a remote source."""

    def listing(self, retrying: Retrying) -> tuple[list[str], list[PullFailure]]:
        """The submission URLs and the folders not entered (`list_http`), each request under `retrying`."""
        raise NotImplementedError

    def fetch(self, url: str, local: Path) -> str:
        """Download `url` to `local`; return the SHA-256 of its bytes."""
        raise NotImplementedError

    def name_of(self, url: str) -> str:
        raise NotImplementedError

    def close(self) -> None:
        pass


def _left(deadline: float, remote: RemoteSource) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise Refused(_deadline_reason(remote))
    return left


def _deadline_reason(remote: RemoteSource) -> str:
    return (
        f"batas waktu penarikan ({remote.deadline_seconds:g} detik) habis; jalankan ulang, atau naikkan "
        "REKAP_PULL_DEADLINE_SECONDS bila sumbernya memang lambat"
    )


def _too_large(remote: RemoteSource) -> Refused:
    limit = format_angka(remote.max_file_bytes)
    return Refused(f"berkas lebih besar dari batas {limit} byte (REKAP_MAX_FILE_BYTES); tidak diunduh")


class _S3(_Client):
    """S3-compatible storage through s3fs: the listing paged and counted, each object streamed under
    the size limit and the pull's deadline."""

    def __init__(
        self, source: str, remote: RemoteSource, deadline: float, storage_options: dict[str, Any] | None
    ) -> None:
        import fsspec

        self.source, self.remote, self.deadline = source, remote, deadline
        options = dict(storage_options or {})
        options.setdefault(
            "config_kwargs", {"connect_timeout": HTTP_CONNECT_SECONDS, "read_timeout": HTTP_READ_SECONDS}
        )
        # A fresh instance per pull: fsspec caches filesystems (and their event loops) by arguments.
        self.fs = fsspec.filesystem("s3", skip_instance_cache=True, **options)

    def listing(self, retrying: Retrying) -> tuple[list[str], list[PullFailure]]:
        return retrying(self._list, self.source), []

    def _list(self) -> list[str]:
        bucket, _, prefix = self.source.split("://", 1)[1].partition("/")
        prefix = prefix.strip("/")
        found: list[str] = []
        token: str | None = None
        while True:
            _left(self.deadline, self.remote)
            page = self.fs.call_s3(
                "list_objects_v2",
                Bucket=bucket,
                Prefix=f"{prefix}/" if prefix else "",
                **({"ContinuationToken": token} if token else {}),
            )
            found += [
                f"s3://{bucket}/{o['Key']}"
                for o in page.get("Contents", [])
                if is_submission_name(PurePosixPath(o["Key"]).name)
            ]
            _check_count(len(found), self.remote)
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return sorted(found)

    def name_of(self, url: str) -> str:
        return PurePosixPath(url.split("://", 1)[1]).name

    def fetch(self, url: str, local: Path) -> str:
        digest = hashlib.sha256()
        path = url.split("://", 1)[1]
        with self.fs.open(path, "rb", block_size=2**20) as remote, open(local, "wb") as fh:
            if remote.size > self.remote.max_file_bytes:
                raise _too_large(self.remote)
            size = 0
            while chunk := remote.read(2**20):
                _left(self.deadline, self.remote)
                size += len(chunk)
                if size > self.remote.max_file_bytes:
                    raise _too_large(self.remote)
                digest.update(chunk)
                fh.write(chunk)
        return digest.hexdigest()


def _download_each(
    client: _Client,
    urls: list[str],
    folder: Path,
    retry: Retry,
    sleep: Callable[[float], None],
    failures: list[PullFailure],
    digests: dict[Path, str],
) -> Iterator[tuple[Path, str]]:
    """Download the files one by one (each deleted once kept), recording the ones that fail and the
    hash of the others (taken while they streamed). The local name is the file's index in the listing:
    nothing from the source becomes a path."""
    for i, url in enumerate(urls):
        shown = shown_url(url)
        local = folder / f"{i}{_suffix(client.name_of(url))}"
        try:
            digests[local] = _with_retries(
                lambda url=url, local=local: client.fetch(url, local), retry, sleep, url
            )
        except FetchFailed as exc:
            log.warning("Berkas gagal diambil: %s: %s", shown, exc)
            failures.append(PullFailure(shown, str(exc)))
            local.unlink(missing_ok=True)
            continue
        yield local, shown
        local.unlink(missing_ok=True)


def _with_retries(fn: Callable[[], Any], retry: Retry, sleep: Callable[[float], None], url: str) -> Any:
    """Call `fn`, again after a wait when it fails in a way that may pass, at most `retry.attempts` times;
    `FetchFailed` with the reason when it never succeeds."""
    for attempt in range(1, retry.attempts + 1):
        try:
            return fn()
        except Exception as exc:
            if attempt == retry.attempts or not is_transient(exc):
                raise FetchFailed(describe_failure(exc, attempt)) from None
            wait = retry.wait(attempt)
            log.info(
                "Percobaan %d gagal (%s), diulang dalam %.1f detik: %s",
                attempt,
                describe_failure(exc, 1),
                wait,
                shown_url(url),
            )
            sleep(wait)
    raise AssertionError("unreachable")


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def http_status(exc: BaseException) -> int | None:
    """The HTTP status behind an error from aiohttp or botocore (also when wrapped), if any."""
    for e in _causes(exc):
        status = getattr(e, "status", None)
        if isinstance(status, int):
            return status
        response = getattr(e, "response", None)
        if isinstance(response, dict):
            code = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if isinstance(code, int):
                return code
    return None


def _transient_types() -> tuple[type[BaseException], ...]:
    types: list[type[BaseException]] = [ConnectionError, TimeoutError, asyncio.TimeoutError]
    try:
        import aiohttp

        types += [aiohttp.ClientConnectionError, aiohttp.ClientPayloadError]
    except ImportError:  # pragma: no cover - aiohttp comes with the project
        pass
    try:
        from botocore import exceptions as boto

        types += [boto.HTTPClientError, boto.ConnectionError]
    except ImportError:  # pragma: no cover - botocore comes with s3fs
        pass
    return tuple(types)


def _refused(exc: BaseException) -> Refused | None:
    return next((e for e in _causes(exc) if isinstance(e, Refused)), None)


def is_transient(exc: BaseException) -> bool:
    """Whether a failure may pass on a later attempt: connection errors, timeouts, HTTP 5xx and 429;
    never a limit or a refused address."""
    if _refused(exc):
        return False
    status = http_status(exc)
    if status is not None:
        return status == 429 or 500 <= status < 600
    if isinstance(exc, FileNotFoundError | PermissionError | IsADirectoryError):
        return False
    return any(isinstance(e, _transient_types()) for e in _causes(exc))


def describe_failure(exc: BaseException, attempts: int) -> str:
    """The reason a file could not be fetched, in Bahasa Indonesia, without a secret."""
    if refused := _refused(exc):
        return str(refused)
    status = http_status(exc)
    tried = f" (setelah {attempts} kali percobaan)" if attempts > 1 else ""
    if status == 429:
        return f"server menolak karena terlalu banyak permintaan (HTTP 429){tried}"
    if status is not None and status >= 500:
        return f"server sumber sedang bermasalah (HTTP {status}){tried}"
    if isinstance(exc, FileNotFoundError) or status == 404:
        return "berkas tidak ditemukan di sumber (HTTP 404)"
    if isinstance(exc, PermissionError) or status in {401, 403}:
        return f"tidak diizinkan membaca berkas (HTTP {status or 403}): periksa kredensial"
    if status is not None:
        return f"permintaan ditolak server (HTTP {status})"
    text = re.sub(r"\s+", " ", redact(exc)).strip() or type(exc).__name__
    return f"koneksi gagal: {text}{tried}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class PullFailure(NamedTuple):
    """A file that could not be fetched, with the reason in words a steward can act on."""

    source_path: str
    reason: str


def is_submission_name(name: str) -> bool:
    """Whether a listed name is a file at all (a URL may end in a folder's slash). Every file is taken:
    the run reads it or lists it with why (`pipeline.passed_over_reason`), as for a local folder."""
    return bool(name)


def shown_url(url: str) -> str:
    """A remote file's location as the steward sees it (and the warehouse keeps it): credentials
    redacted, an HTTP path decoded, control characters left encoded so that a name stays one line."""
    shown = redact(url)
    if shown.lower().startswith(("http://", "https://")):
        shown = unquote(shown)
    return _CONTROL.sub(lambda m: quote(m.group()), shown)


Retrying = Callable[[Callable[[], Any], str], Any]  # (operation, its URL) -> its result, with retries


HTTP_CONNECT_SECONDS = 30


HTTP_READ_SECONDS = 120  # silence while reading a response before the attempt counts as failed
