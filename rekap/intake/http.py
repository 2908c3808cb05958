"""An HTTP(S) source: its listing page or index file, and a client that follows redirects only where a
pull may connect (never to loopback, link-local or private addresses unless allowed)."""

from __future__ import annotations

import asyncio
import hashlib
import html
import ipaddress
import re
import socket
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from rekap.contract.errors import RunError
from rekap.intake.remote import (
    _CHUNK,
    HTTP_CONNECT_SECONDS,
    HTTP_READ_SECONDS,
    HttpStatus,
    PullFailure,
    Refused,
    Retrying,
    _check_count,
    _Client,
    _deadline_reason,
    _left,
    _too_large,
    is_submission_name,
    shown_url,
)
from rekap.settings import RemoteSource

MAX_REDIRECTS = 10


_REDIRECTS = {301, 302, 303, 307, 308}


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


def _http_name(url: str) -> str:
    return PurePosixPath(unquote(urlsplit(url).path)).name


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
