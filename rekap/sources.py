"""Where the OPD files come from: a local folder (the default), an HTTP(S) server (a listing page with
links, or an index file listing URLs), or S3-compatible object storage (`s3://bucket/prefix`).

Remote files are fetched through fsspec, each with its own retries and exponential backoff on transient
failures (connection errors, timeouts, HTTP 5xx and 429). A file that still fails is reported with its
reason and the others go on. Every file then takes the one path into the raw store that local files take
(`pipeline.admit_files`): hashed, kept as received, seen files skipped.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any, Literal, NamedTuple
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from rekap.pipeline import (
    Incoming,
    PassedOver,
    RunError,
    admit_files,
    passed_over_reason,
    pull_folder,
)
from rekap.settings import Retry

log = logging.getLogger(__name__)

SourceKind = Literal["local", "http", "s3"]
MAX_LISTING_DEPTH = 4  # sub-folders followed below an HTTP listing page
HTTP_CONNECT_SECONDS = 30
HTTP_READ_SECONDS = 120  # silence while reading a response before the attempt counts as failed


class PullFailure(NamedTuple):
    """A file that could not be fetched, with the reason in words a steward can act on."""

    source_path: str
    reason: str


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
    raise RunError(f"Jenis sumber tidak dikenal: {source} (gunakan folder, http(s):// atau s3://)")


def is_submission_name(name: str) -> bool:
    """Whether a listed name is a file at all (a URL may end in a folder's slash). Every file is taken:
    the run reads it or lists it with why (`pipeline.passed_over_reason`), as for a local folder."""
    return bool(name)


def pull(
    source: str,
    raw_dir: Path,
    seen: set[str],
    exclude: set[Path] = frozenset(),
    *,
    storage_options: dict[str, Any] | None = None,
    retry: Retry | None = None,
    now: dt.datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Pulled:
    """Pull every file at `source` the warehouse has not seen into the raw store. `exclude` holds local
    files to leave out (e.g. the OPD list kept beside the submissions); for a remote source, files of
    the same name are left out."""
    kind = source_kind(source)
    retry = retry or Retry()
    if kind == "local":
        folder = Path(source.removeprefix("file://"))
        incoming, listed, passed_over = pull_folder(folder, raw_dir, seen, exclude, now)
        return Pulled(incoming, [], listed, passed_over=passed_over)
    fs = _filesystem(kind, storage_options or {})
    skip_names = {p.name for p in exclude}
    lister = list_http if kind == "http" else list_s3
    try:
        urls = _with_retries(lambda: lister(fs, source), retry, sleep, source)
    except Exception as exc:
        attempts = retry.attempts if is_transient(exc) else 1
        raise RunError(f"Sumber tidak dapat dibaca: {source}: {describe_failure(exc, attempts)}") from exc
    passed_over = [
        PassedOver(unquote(u), "daftar OPD (--daftar-opd), bukan laporan")
        if _name_of(u) in skip_names
        else PassedOver(unquote(u), reason)
        for u in urls
        if _name_of(u) in skip_names or (reason := passed_over_reason(_name_of(u)))
    ]
    urls = [u for u in urls if _name_of(u) not in skip_names and not passed_over_reason(_name_of(u))]
    failures: list[PullFailure] = []
    with tempfile.TemporaryDirectory(prefix="unduhan-") as tmp:
        fetched = _download_each(fs, urls, Path(tmp), retry, sleep, failures)
        incoming = admit_files(fetched, raw_dir, seen, now)
    return Pulled(incoming, failures, len(urls) + len(passed_over), passed_over=passed_over)


# --- listing -------------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def links_in(page: str, page_url: str) -> list[str]:
    """Absolute URLs of the links of an HTML page, without fragments or query strings."""
    parser = _Links()
    parser.feed(page)
    out = []
    for href in parser.hrefs:
        url = urldefrag(urljoin(page_url, href)).url
        out.append(url.split("?", 1)[0])
    return out


def urls_in_index(text: str, index_url: str) -> list[str]:
    """The URLs of an index file: one per line, relative to the index; blank lines and `#` skipped."""
    lines = (line.strip() for line in text.splitlines())
    return [urljoin(index_url, line) for line in lines if line and not line.startswith("#")]


def _looks_like_html(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<a ", b"<ul", b"<pre"))


def list_http(fs: Any, url: str) -> list[str]:
    """Submission URLs under an HTTP(S) location: the links of a listing page (following sub-folder
    links below it), or the lines of an index file."""
    if not url.endswith("/") and not PurePosixPath(urlsplit(url).path).suffix:
        url += "/"  # a folder named without its slash: its links are relative to the folder
    data = fs.cat_file(url)
    if not _looks_like_html(data):
        return sorted(
            {u for u in urls_in_index(data.decode("utf-8-sig"), url) if is_submission_name(_name_of(u))}
        )
    base = url if url.endswith("/") else url.rsplit("/", 1)[0] + "/"
    found: set[str] = set()
    visited = {url}
    pages = [(url, data, 0)]
    while pages:
        page_url, page, depth = pages.pop()
        for link in links_in(page.decode("utf-8", errors="replace"), page_url):
            if not link.startswith(base) or link in visited:
                continue  # parent folders, sort links, other sites
            visited.add(link)
            if link.endswith("/"):
                if depth < MAX_LISTING_DEPTH:
                    pages.append((link, fs.cat_file(link), depth + 1))
            elif is_submission_name(_name_of(link)):
                found.add(link)
    return sorted(found)


def list_s3(fs: Any, url: str) -> list[str]:
    """Submission objects under `s3://bucket/prefix`, as `s3://` URLs."""
    root = url.split("://", 1)[1].rstrip("/")
    keys = fs.find(root)
    return sorted(f"s3://{k}" for k in keys if is_submission_name(PurePosixPath(k).name))


def _name_of(url: str) -> str:
    return PurePosixPath(unquote(urlsplit(url).path)).name


# --- fetching ------------------------------------------------------------------------------------


def _filesystem(kind: SourceKind, storage_options: dict[str, Any]) -> Any:
    import fsspec

    options = dict(storage_options)
    if kind == "http":
        import aiohttp

        # A server that stops answering must fail (and be retried), not hang the run; proxies are taken
        # from HTTP(S)_PROXY / NO_PROXY as other tools do.
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=HTTP_CONNECT_SECONDS, sock_read=HTTP_READ_SECONDS
        )
        options.setdefault("client_kwargs", {"timeout": timeout, "trust_env": True})
    # A fresh instance per pull: fsspec caches filesystems (and their event loops) by arguments otherwise.
    return fsspec.filesystem(kind, skip_instance_cache=True, **options)


def _download_each(
    fs: Any,
    urls: list[str],
    folder: Path,
    retry: Retry,
    sleep: Callable[[float], None],
    failures: list[PullFailure],
) -> Iterator[tuple[Path, str]]:
    """Download the files one by one (each deleted once kept), recording the ones that fail."""
    for i, url in enumerate(urls):
        shown = unquote(url)
        local = folder / f"{i}{PurePosixPath(_name_of(url)).suffix.lower()}"
        try:
            _with_retries(lambda url=url, local=local: fs.get_file(url, str(local)), retry, sleep, shown)
        except Exception as exc:
            reason = describe_failure(exc, retry.attempts if is_transient(exc) else 1)
            log.warning("Berkas gagal diambil: %s: %s", shown, reason)
            failures.append(PullFailure(shown, reason))
            continue
        yield local, shown
        local.unlink(missing_ok=True)


def _with_retries(fn: Callable[[], Any], retry: Retry, sleep: Callable[[float], None], what: str = "") -> Any:
    """Call `fn`, again after a wait when it fails in a way that may pass, at most `retry.attempts` times."""
    for attempt in range(1, retry.attempts + 1):
        try:
            return fn()
        except Exception as exc:
            if attempt == retry.attempts or not is_transient(exc):
                raise
            wait = retry.wait(attempt)
            log.info("Percobaan %d gagal (%s), diulang dalam %.1f detik: %s", attempt, exc, wait, what)
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


def is_transient(exc: BaseException) -> bool:
    """Whether a failure may pass on a later attempt: connection errors, timeouts, HTTP 5xx and 429."""
    status = http_status(exc)
    if status is not None:
        return status == 429 or 500 <= status < 600
    if isinstance(exc, FileNotFoundError | PermissionError | IsADirectoryError):
        return False
    return any(isinstance(e, _transient_types()) for e in _causes(exc))


def describe_failure(exc: BaseException, attempts: int) -> str:
    """The reason a file could not be fetched, in Bahasa Indonesia."""
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
    text = re.sub(r"\s+", " ", str(exc)).strip() or type(exc).__name__
    return f"koneksi gagal: {text}{tried}"
