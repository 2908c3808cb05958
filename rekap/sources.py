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
block; a URL that carries some is shown redacted (`redaction.redact`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import html
import ipaddress
import logging
import re
import socket
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal, NamedTuple
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit

from rekap.errors import RunError
from rekap.pipeline import Incoming, PassedOver, admit_files, passed_over_reason, pull_folder
from rekap.redaction import redact
from rekap.settings import RemoteSource, Retry

log = logging.getLogger(__name__)

SourceKind = Literal["local", "http", "s3"]
HTTP_CONNECT_SECONDS = 30
HTTP_READ_SECONDS = 120  # silence while reading a response before the attempt counts as failed
MAX_REDIRECTS = 10
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 1 << 16
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


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


class Refused(Exception):
    """A fetch stopped by a limit or by where it would lead, never tried again; the message says why and
    how to raise the limit, in Bahasa Indonesia."""


class HttpStatus(Exception):
    """An HTTP answer that is not the file (the URL is left out: it may carry credentials)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


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


# --- listing -------------------------------------------------------------------------------------


# A link: an `a` tag up to its `>`, holding no `<` (so that each attempt ends at the next `<`: linear in the
# page, where html.parser is quadratic on a page of unclosed tags), and its href, quoted or not.
_A_TAG = re.compile(r"<a\s[^<>]*>", re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


def links_in(page: str, page_url: str) -> list[str]:
    """Absolute URLs of the links of an HTML page, without fragments or query strings."""
    out = []
    for tag in _A_TAG.finditer(page):
        if href := _HREF.search(tag.group()):
            value = html.unescape(next(g for g in href.groups() if g is not None)).strip()
            if value:
                url = urldefrag(urljoin(page_url, value)).url
                out.append(url.split("?", 1)[0])
    return out


def urls_in_index(text: str, index_url: str) -> list[str]:
    """The URLs of an index file: one per line, relative to the index; blank lines and `#` skipped."""
    lines = (line.strip() for line in text.splitlines())
    return [urljoin(index_url, line) for line in lines if line and not line.startswith("#")]


def _looks_like_html(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<a ", b"<ul", b"<pre"))


def list_http(
    read: Callable[[str], bytes], url: str, remote: RemoteSource
) -> tuple[list[str], list[PullFailure]]:
    """Submission URLs under an HTTP(S) location: the links of a listing page (following sub-folder
    links below it, at most `remote.max_depth` levels: a deeper folder is reported, not entered), or the
    lines of an index file; and the folders not entered. More than `remote.max_pages` pages or
    `remote.max_files` files stops the listing (`Refused`)."""
    if not url.endswith("/") and not PurePosixPath(urlsplit(url).path).suffix:
        url += "/"  # a folder named without its slash: its links are relative to the folder
    data = read(url)
    if not _looks_like_html(data):
        found = {u for u in urls_in_index(data.decode("utf-8-sig"), url) if is_submission_name(_http_name(u))}
        _check_count(len(found), remote)
        return sorted(found), []
    base = url if url.endswith("/") else url.rsplit("/", 1)[0] + "/"
    found_files: set[str] = set()
    deeper: list[PullFailure] = []
    visited = {url}
    pages, entered = [(url, data, 0)], 1
    while pages:
        page_url, page, depth = pages.pop()
        for link in links_in(page.decode("utf-8", errors="replace"), page_url):
            if not link.startswith(base) or link in visited:
                continue  # parent folders, sort links, other sites
            if link.endswith("/"):
                visited.add(link)
                if depth >= remote.max_depth:
                    reason = (
                        f"folder tidak dijelajahi: lebih dari {remote.max_depth} tingkat di bawah sumber "
                        "(REKAP_PULL_MAX_DEPTH)"
                    )
                    deeper.append(PullFailure(shown_url(link), reason))
                elif entered >= remote.max_pages:
                    raise Refused(
                        f"daftar berkas lebih dari {remote.max_pages} halaman; naikkan REKAP_PULL_MAX_PAGES "
                        "bila sumbernya memang sebesar itu"
                    )
                else:
                    pages.append((link, read(link), depth + 1))
                    entered += 1
            elif is_submission_name(_http_name(link)):
                visited.add(link)
                found_files.add(link)
            _check_count(len(found_files) + len(deeper), remote)
    return sorted(found_files), deeper


def _check_count(count: int, remote: RemoteSource) -> None:
    if count > remote.max_files:
        raise Refused(
            f"daftar berkas memuat lebih dari {remote.max_files} berkas; naikkan REKAP_PULL_MAX_FILES "
            "bila sumbernya memang sebesar itu"
        )


def _http_name(url: str) -> str:
    return PurePosixPath(unquote(urlsplit(url).path)).name


def _suffix(name: str) -> str:
    """The suffix a local copy may carry: letters and digits after the last dot, else none (a name from a
    source is never a path, nor part of one)."""
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else ""


# --- where an HTTP pull may connect --------------------------------------------------------------


class Reach:
    """Where an HTTP pull may connect: the source's own host and port, the proxies of the environment,
    the hosts and networks of `RemoteSource.allow`, and every public address; not a loopback,
    link-local, private or otherwise reserved address."""

    def __init__(self, source: str, allow: tuple[str, ...]) -> None:
        self.endpoints = {_endpoint(source)}
        self.endpoints |= {_endpoint(p) for p in urllib.request.getproxies().values() if "://" in p}
        self.names: set[str] = set()
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for item in allow:
            try:
                self.networks.append(ipaddress.ip_network(item.strip("[]"), strict=False))
            except ValueError:
                self.names.add(item.lower().rstrip("."))

    def allows(self, host: str, port: int, address: str) -> bool:
        """Whether a connection to `address`, resolved from `host`, on `port` may be made."""
        host = host.lower().rstrip(".")
        if (host, port) in self.endpoints or host in self.names:
            return True
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        return any(ip in n for n in self.networks) or (ip.is_global and not ip.is_multicast)

    def refusal(self, url: str) -> str | None:
        """Why `url` may not be fetched, checked before connecting (scheme, an address written in the
        URL); a host name is checked when it is resolved."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in {"http", "https"}:
            return f"alamat bukan http(s): {shown_url(url)}"
        host, port = _endpoint(url)
        if not host:
            return f"alamat tanpa nama host: {shown_url(url)}"
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return None
        return None if self.allows(host, port, host) else _private(host, url)


def _endpoint(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    default = 443 if parts.scheme.lower() == "https" else 80
    return (parts.hostname or "").rstrip("."), port or default


def _private(host: str, url: str) -> str:
    return (
        f"alamat jaringan internal ({host}) tidak diizinkan: {shown_url(url)}; izinkan host atau jaringannya "
        "dengan REKAP_HTTP_ALLOW bila memang sumber resmi"
    )


def _guarded_resolver(reach: Reach) -> Any:
    """An aiohttp resolver that keeps only the addresses `reach` allows: the check is made on the
    addresses connected to, so a name that resolves differently the second time gains nothing."""
    import aiohttp

    class Guarded(aiohttp.ThreadedResolver):
        async def resolve(
            self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
        ) -> Any:
            found = await super().resolve(host, port, family)
            kept = [r for r in found if reach.allows(host, port, r["host"])]
            if not kept:
                raise Refused(_private(", ".join(r["host"] for r in found), f"http://{host}:{port}/"))
            return kept

    return Guarded()


# --- fetching ------------------------------------------------------------------------------------


class FetchFailed(Exception):
    """A fetch that failed for good; the message is the reason, in Bahasa Indonesia."""


Retrying = Callable[[Callable[[], Any], str], Any]  # (operation, its URL) -> its result, with retries


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
    limit = f"{remote.max_file_bytes:,}".replace(",", ".")
    return Refused(f"berkas lebih besar dari batas {limit} byte (REKAP_MAX_FILE_BYTES); tidak diunduh")


class _Http(_Client):
    """HTTP(S) with aiohttp on fsspec's event loop thread: redirects followed one by one under `Reach`,
    the auth header sent to the source's own host and port only, every body streamed under the size
    limit, every operation under the pull's deadline."""

    def __init__(self, source: str, remote: RemoteSource, deadline: float) -> None:
        from fsspec.asyn import get_loop

        self.source, self.remote, self.deadline = source, remote, deadline
        self.reach = Reach(source, remote.allow)
        try:
            self.auth = remote.headers()
        except ValueError as exc:
            raise RunError(str(exc)) from None
        self.loop = get_loop()
        self.session = self._sync(self._open_session)

    def _sync(self, func: Callable[..., Any], *args: Any) -> Any:
        from fsspec.asyn import sync

        return sync(self.loop, func, *args)

    async def _open_session(self) -> Any:
        import aiohttp

        # A server that stops answering must fail (and be retried), not hang the run; proxies are taken
        # from HTTP(S)_PROXY / NO_PROXY as other tools do.
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=HTTP_CONNECT_SECONDS, sock_read=HTTP_READ_SECONDS
        )
        connector = aiohttp.TCPConnector(resolver=_guarded_resolver(self.reach))
        return aiohttp.ClientSession(timeout=timeout, connector=connector, trust_env=True)

    def close(self) -> None:
        self._sync(self.session.close)

    def listing(self, retrying: Retrying) -> tuple[list[str], list[PullFailure]]:
        return list_http(lambda url: retrying(lambda: self.read(url), url), self.source, self.remote)

    def name_of(self, url: str) -> str:
        return _http_name(url)

    def read(self, url: str) -> bytes:
        """The body of `url` (a listing page or an index file), at most `max_file_bytes`."""
        chunks: list[bytes] = []
        self._sync(self._stream, url, chunks.append)
        return b"".join(chunks)

    def fetch(self, url: str, local: Path) -> str:
        digest = hashlib.sha256()
        with open(local, "wb") as fh:

            def write(chunk: bytes) -> None:
                digest.update(chunk)
                fh.write(chunk)

            self._sync(self._stream, url, write)
        return digest.hexdigest()

    async def _stream(self, url: str, sink: Callable[[bytes], None]) -> None:
        try:
            async with asyncio.timeout(_left(self.deadline, self.remote)):
                response = await self._follow(url)
                async with response:
                    if (response.content_length or 0) > self.remote.max_file_bytes:
                        raise _too_large(self.remote)
                    size = 0
                    async for chunk in response.content.iter_chunked(_CHUNK):
                        size += len(chunk)
                        if size > self.remote.max_file_bytes:
                            raise _too_large(self.remote)
                        sink(chunk)
        except TimeoutError:
            if time.monotonic() >= self.deadline:
                raise Refused(_deadline_reason(self.remote)) from None
            raise

    async def _follow(self, url: str) -> Any:
        """The response of `url` once its redirects are followed, each checked before it is requested."""
        for _ in range(MAX_REDIRECTS + 1):
            if reason := self.reach.refusal(url):
                raise Refused(reason)
            headers = {"Accept-Encoding": "identity"}  # the size limit counts the bytes as stored
            if _endpoint(url) == _endpoint(self.source):
                headers.update(self.auth)
            response = await self.session.get(url, allow_redirects=False, headers=headers)
            if response.status in _REDIRECTS and "Location" in response.headers:
                location = response.headers["Location"]
                response.release()
                url = urljoin(url, location)
                continue
            if response.status >= 300:  # an error, or a redirect without a Location: not the file
                response.release()
                raise HttpStatus(response.status)
            return response
        raise Refused(f"lebih dari {MAX_REDIRECTS} kali dialihkan: {shown_url(url)}")


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
