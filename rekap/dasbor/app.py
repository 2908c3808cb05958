"""The served dashboard: a Starlette application over the published warehouse, run by uvicorn.

Read-only by construction: every route answers GET and HEAD only, the warehouse is attached read-only per
publish (`gudang.Gudang`), and nothing is written anywhere. Access (docs/operasi.md): bound to 127.0.0.1
unless told otherwise; a token, when set, is required for every request (HTTP Basic with any user name and
the token as password, or `Authorization: Bearer <token>`); serving a network requires it. Downloading an
original submitted file (officials' names and NIP are in it) is off unless enabled, and enabling it
requires the token.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from rekap.warehouse.sql import query_rows

from .gudang import Gudang, GudangTidakSiap
from .halaman import CSP, Konteks, TidakAda, render_galat, render_page

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]

LOOPBACK = ("127.0.0.1", "localhost", "::1")
HEADERS = {
    # The pages' own CSP (meta) plus what only a header can say: no framing.
    "content-security-policy": CSP + "; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}
GET = ["GET", "HEAD"]


def create_app(
    warehouse: Path,
    token: str | None = None,
    unduh: bool = False,
    raw_dir: Path | None = None,
    lokal: bool = True,
    memory_limit: str = "128MB",
    workers: int = 4,
) -> Starlette:
    """The dashboard application. `lokal`: only requests addressed to this machine's loopback names are
    answered (a page elsewhere cannot reach it by rebinding a name to 127.0.0.1)."""
    if unduh and not token:
        raise ValueError("unduhan berkas asli hanya dengan token")
    gudang = Gudang(warehouse, memory_limit=memory_limit)

    def page(path: str, kt_unduh: bool) -> Response:
        try:
            with gudang.snapshot() as snap:
                html = render_page(Konteks(snap, langsung=True, unduh=kt_unduh), path)
        except TidakAda as exc:
            return HTMLResponse(render_galat(path, "Halaman tidak ditemukan", str(exc)), 404)
        except GudangTidakSiap as exc:
            return HTMLResponse(render_galat(path, "Gudang data belum siap", str(exc)), 503)
        return HTMLResponse(html)

    def beranda(request: Request) -> Response:
        return page("index.html", unduh)

    def halaman(request: Request) -> Response:
        return page(request.path_params["path"], unduh)

    def versi(request: Request) -> Response:
        try:
            return JSONResponse({"versi": gudang.versi()})
        except GudangTidakSiap as exc:
            return JSONResponse({"versi": None, "pesan": str(exc)}, 503)

    def berkas(request: Request) -> Response:
        if not unduh or raw_dir is None:
            return PlainTextResponse("Unduhan berkas asli tidak diaktifkan di dasbor ini.", 403)
        file_hash = request.path_params["file_hash"]
        if not re.fullmatch(r"[0-9a-f]{64}", file_hash):
            return PlainTextResponse("Berkas tidak ditemukan.", 404)
        with gudang.snapshot() as snap:
            rows = query_rows(snap.con, "dasbor/berkas", file_hash=file_hash)[1]
        stored = [p for p in (raw_dir / file_hash[:2]).glob(f"{file_hash}*") if _raw_name(p.name, file_hash)]
        if not rows or not stored:
            return PlainTextResponse("Berkas tidak ditemukan.", 404)
        return FileResponse(stored[0], media_type="application/octet-stream",
                            filename=_download_name(rows[0][0], stored[0].suffix))  # fmt: skip

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Pages are made in worker threads: a few at once keep two cores busy; more only add threads, each
        # with its own allocator arena and DuckDB cursor, for memory and no speed.
        anyio.to_thread.current_default_thread_limiter().total_tokens = workers
        yield
        gudang.close()

    return Starlette(
        routes=[
            Route("/", beranda, methods=GET),
            Route("/api/versi", versi, methods=GET),
            Route("/berkas/{file_hash}", berkas, methods=GET),
            Route("/{path:path}", halaman, methods=GET),
        ],
        middleware=[Middleware(Penjaga, token=token, lokal=lokal)],
        lifespan=lifespan,
    )


def _raw_name(name: str, file_hash: str) -> bool:
    """A raw store's file is named `<hash><suffix>` (rekap.intake.raw.admit_files)."""
    return re.fullmatch(re.escape(file_hash) + r"(\.[a-z0-9]{1,8})?", name) is not None


def _download_name(nama_berkas: str | None, suffix: str) -> str:
    """The name a download is offered under: the file's name as sent, without any folder or control
    character (an OPD chose it)."""
    name = re.sub(r"[\x00-\x1f\x7f/\\]+", "_", (nama_berkas or "").rsplit("/", 1)[-1]).strip(" .")
    return name or f"berkas{suffix}"


class Penjaga:
    """Every request passes here first: only this machine's names when local, the token when set, and the
    security headers and the server's own time (`Server-Timing`) on every answer."""

    def __init__(self, app: ASGIApp, token: str | None, lokal: bool):
        self.app = app
        self.token = token.encode() if token else None
        self.lokal = lokal

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:  # fmt: skip
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(headers)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                took = (time.perf_counter() - started) * 1000
                extra.append((b"server-timing", f"app;dur={took:.1f}".encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _refusal(self, headers: dict[str, str]) -> Response | None:
        if self.lokal and _host_name(headers.get("host", "")) not in LOOPBACK:
            return PlainTextResponse("Dasbor ini hanya melayani alamat lokal (127.0.0.1).", 421)
        if self.token is not None and not self._authorized(headers.get("authorization", "")):
            return PlainTextResponse(
                "Dasbor ini memerlukan token: isi sandi dengan token (nama pengguna bebas).",
                401,
                headers={"WWW-Authenticate": 'Basic realm="rekap dasbor", charset="UTF-8"'},
            )
        return None

    def _authorized(self, header: str) -> bool:
        scheme, _, value = header.partition(" ")
        given = b""
        if scheme.lower() == "bearer":
            given = value.strip().encode()
        elif scheme.lower() == "basic":
            try:
                given = base64.b64decode(value.strip(), validate=True).partition(b":")[2]
            except (binascii.Error, ValueError):
                return False
        assert self.token is not None
        return secrets.compare_digest(given, self.token)


def _host_name(host: str) -> str:
    """The name in a Host header, without its port (`[::1]:8765` -> `::1`)."""
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def serve(
    warehouse: Path, host: str, port: int, token: str | None, unduh: bool, raw_dir: Path | None
) -> None:
    """Serve the dashboard until interrupted (uvicorn, one process)."""
    import uvicorn

    lokal = host in LOOPBACK
    app = create_app(warehouse, token=token, unduh=unduh, raw_dir=raw_dir, lokal=lokal)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, access_log=False)
