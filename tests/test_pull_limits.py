"""A remote source can neither hang a pull, fill the disk, lead it to an internal address, nor leak its
credentials: real HTTP servers on 127.0.0.1 that redirect, stream without end, drip, nest listings
without end or ask for credentials (S3's limits are in test_sources.py, beside its server). Every limit
hit is reported with its reason; the other files go on."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from base64 import b64encode
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest

from rekap.contract.errors import RunError
from rekap.intake.sources import pull
from rekap.settings import RemoteSource, Retry
from tests import receivers

FAST = Retry(attempts=2, backoff_seconds=0.01)
LIMITS = RemoteSource(max_file_bytes=256 * 1024, deadline_seconds=30)
FILE = os.urandom(20_000)
SECRET = "sandi-rahasia"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- a programmable HTTP server --------------------------------------------------------------------

Route = Callable[["Handler"], None]


class Handler(BaseHTTPRequestHandler):
    """Answers each path with its route (a prefix route for paths ending in `*`), records every request
    and its headers, and counts the body bytes it sent."""

    routes: ClassVar[dict[str, Route]]
    requests: ClassVar[list[tuple[str, dict[str, str]]]]
    sent: ClassVar[Counter[str]]

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self.requests.append((path, dict(self.headers)))
        route = self.routes.get(path) or next(
            (r for p, r in self.routes.items() if p.endswith("*") and path.startswith(p[:-1])), None
        )
        try:
            if route is None:
                self.send_error(404)
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: what the limits are for

    def write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()
        self.sent[urlsplit(self.path).path] += len(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(routes: dict[str, Route]) -> Iterator[tuple[str, type[Handler]]]:
    """A real HTTP server on 127.0.0.1 with these routes: (base URL, its handler class)."""
    handler = type("H", (Handler,), {"routes": routes, "requests": [], "sent": Counter()})
    with receivers.serving(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as port:
        yield f"http://127.0.0.1:{port}", handler


def body(data: bytes, content_type: str = "application/octet-stream") -> Route:
    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.write(data)

    return route


def page(*links: str) -> Route:
    return body("".join(f'<a href="{link}">{link}</a>\n' for link in links).encode(), "text/html")


def index(*lines: str) -> Route:
    return body("\n".join(lines).encode(), "text/plain")


def redirect(location: str | Callable[[], str], status: int = 302) -> Route:
    def route(h: Handler) -> None:
        h.send_response(status)
        h.send_header("Location", location() if callable(location) else location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return route


def endless(claimed_length: int | None = None, pause: float = 0.0, chunk: int = 64 * 1024) -> Route:
    """A body without end (at most 64 MiB, so that a pull without a cap fails the test instead of
    hanging it), optionally claiming a length, optionally slowly."""

    def route(h: Handler) -> None:
        h.send_response(200)
        if claimed_length is not None:
            h.send_header("Content-Length", str(claimed_length))
        h.end_headers()
        data = b"x" * chunk
        for _ in range(64 * 2**20 // chunk):
            h.write(data)
            time.sleep(pause)

    return route


def requires(header: str, value: str, route: Route) -> Route:
    def guarded(h: Handler) -> None:
        if h.headers.get(header) != value:
            h.send_error(401)
        else:
            route(h)

    return guarded


def no_secret(*texts: object) -> bool:
    return all(SECRET not in str(t) for t in texts)


# --- redirects -----------------------------------------------------------------------------------


def test_a_redirect_on_the_source_itself_is_followed(tmp_path: Path) -> None:
    routes = {"/indeks.txt": index("pindah.xlsx"), "/pindah.xlsx": redirect("/arsip/a.xlsx")}
    routes["/arsip/a.xlsx"] = body(FILE)
    with serving(routes) as (base, _):
        pulled = pull(f"{base}/indeks.txt", tmp_path / "mentah", set(), retry=FAST, remote=LIMITS)
    assert pulled.failures == []
    (item,) = pulled.incoming
    assert (item.source_path, item.file_hash) == (f"{base}/pindah.xlsx", sha256(FILE))
    assert item.raw_path.read_bytes() == FILE


def test_a_redirect_to_another_local_port_is_refused_unless_allowed(tmp_path: Path) -> None:
    with serving({"/b.xlsx": body(FILE)}) as (other, other_handler):
        routes = {"/indeks.txt": index("a.xlsx"), "/a.xlsx": redirect(f"{other}/b.xlsx")}
        with serving(routes) as (base, _):
            refused = pull(f"{base}/indeks.txt", tmp_path / "m1", set(), retry=FAST, remote=LIMITS)
            assert other_handler.requests == []  # refused before connecting
            allowed = RemoteSource(max_file_bytes=LIMITS.max_file_bytes, allow=("127.0.0.1",))
            pulled = pull(f"{base}/indeks.txt", tmp_path / "m2", set(), retry=FAST, remote=allowed)
    ((path, reason),) = refused.failures
    assert path == f"{base}/a.xlsx" and refused.incoming == []
    assert reason == (
        f"alamat jaringan internal (127.0.0.1) tidak diizinkan: {other}/b.xlsx; izinkan host atau "
        "jaringannya dengan REKAP_HTTP_ALLOW bila memang sumber resmi"
    )
    assert pulled.failures == [] and pulled.incoming[0].file_hash == sha256(FILE)


def test_a_name_is_checked_on_the_addresses_it_resolves_to(tmp_path: Path) -> None:
    """`localhost` is no address in the URL: the check happens when it is resolved, on what the
    connection would use."""
    with serving({"/b.xlsx": body(FILE)}) as (other, other_handler):
        port = urlsplit(other).port
        routes = {"/indeks.txt": index("a.xlsx"), "/a.xlsx": redirect(f"http://localhost:{port}/b.xlsx")}
        with serving(routes) as (base, _):
            refused = pull(f"{base}/indeks.txt", tmp_path / "m1", set(), retry=FAST, remote=LIMITS)
            assert other_handler.requests == []
            network = RemoteSource(max_file_bytes=LIMITS.max_file_bytes, allow=("127.0.0.0/8",))
            pulled = pull(f"{base}/indeks.txt", tmp_path / "m2", set(), retry=FAST, remote=network)
    ((_, reason),) = refused.failures
    assert reason.startswith("alamat jaringan internal (") and "REKAP_HTTP_ALLOW" in reason
    assert pulled.failures == [] and [p for p, _ in other_handler.requests] == ["/b.xlsx"]


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("file:///etc/passwd", "alamat bukan http(s): file:///etc/passwd"),
        ("ftp://127.0.0.1/a.xlsx", "alamat bukan http(s): ftp://127.0.0.1/a.xlsx"),
        ("http://169.254.169.254/latest/meta-data/", "alamat jaringan internal (169.254.169.254)"),
        ("http://0.0.0.0:{port}/a.xlsx", "alamat jaringan internal (0.0.0.0)"),
        ("http://[::ffff:127.0.0.1]:{port}/a.xlsx", "alamat jaringan internal (::ffff:127.0.0.1)"),
        ("http://10.1.2.3/a.xlsx", "alamat jaringan internal (10.1.2.3)"),
        ("/putar.xlsx", "lebih dari 10 kali dialihkan"),
    ],
)
def test_redirects_stay_on_http_and_off_internal_addresses(
    tmp_path: Path, location: str, reason: str
) -> None:
    port: list[int] = []
    routes = {
        "/indeks.txt": index("putar.xlsx"),
        "/putar.xlsx": redirect(lambda: location.format(port=port[0])),
        "/a.xlsx": body(FILE),
    }
    with serving(routes) as (base, handler):
        port.append(urlsplit(base).port or 0)
        started = time.monotonic()
        pulled = pull(f"{base}/indeks.txt", tmp_path / "mentah", set(), retry=FAST, remote=LIMITS)
    assert time.monotonic() - started < 5
    ((_, got),) = pulled.failures
    assert got.startswith(reason) and pulled.incoming == []
    assert "/a.xlsx" not in [p for p, _ in handler.requests]


# --- size, time ----------------------------------------------------------------------------------


@pytest.mark.parametrize("claimed", [None, 10**12], ids=["without-length", "claiming-a-terabyte"])
def test_a_download_is_capped_while_it_streams(tmp_path: Path, claimed: int | None) -> None:
    routes = {"/indeks.txt": index("besar.xlsx", "kecil.xlsx"), "/besar.xlsx": endless(claimed)}
    routes["/kecil.xlsx"] = body(FILE)
    with serving(routes) as (base, handler):
        started = time.monotonic()
        pulled = pull(f"{base}/indeks.txt", tmp_path / "mentah", set(), retry=FAST, remote=LIMITS)
        elapsed = time.monotonic() - started
    assert pulled.failures == [
        (
            f"{base}/besar.xlsx",
            "berkas lebih besar dari batas 262.144 byte (REKAP_MAX_FILE_BYTES); tidak diunduh",
        )
    ]
    assert [i.file_hash for i in pulled.incoming] == [sha256(FILE)]  # the other file went on
    assert [p for p, _ in handler.requests].count("/besar.xlsx") == 1  # not tried again
    assert handler.sent["/besar.xlsx"] < 16 * 2**20 and elapsed < 10  # it stopped early
    assert not [p for p in (tmp_path / "mentah").rglob("*") if p.is_file() and p.stat().st_size > 2**18]


def test_the_pull_has_a_deadline_and_every_file_is_accounted_for(tmp_path: Path) -> None:
    routes = {
        "/indeks.txt": index("0-lambat.xlsx", "a.xlsx", "b.xlsx"),
        # a byte every 0.1 s: the read timeout never fires, only the deadline can stop it
        "/0-lambat.xlsx": endless(pause=0.1, chunk=1),
        "/a.xlsx": body(FILE),
        "/b.xlsx": body(FILE[::-1]),
    }
    remote = RemoteSource(max_file_bytes=LIMITS.max_file_bytes, deadline_seconds=1.5)
    with serving(routes) as (base, _):
        started = time.monotonic()
        pulled = pull(f"{base}/indeks.txt", tmp_path / "mentah", set(), retry=FAST, remote=remote)
        elapsed = time.monotonic() - started
    assert 1.5 <= elapsed < 5
    reason = (
        "batas waktu penarikan (1.5 detik) habis; jalankan ulang, atau naikkan REKAP_PULL_DEADLINE_SECONDS "
        "bila sumbernya memang lambat"
    )
    assert pulled.failures == [(f"{base}/{name}.xlsx", reason) for name in ("0-lambat", "a", "b")]
    assert (pulled.listed, pulled.incoming) == (3, [])


def test_a_listing_that_outlasts_the_deadline_stops_the_run(tmp_path: Path) -> None:
    routes = {"/": endless(pause=0.1, chunk=1)}
    remote = RemoteSource(deadline_seconds=1.0)
    with (
        serving(routes) as (base, _),
        pytest.raises(RunError, match=r"Sumber tidak dapat dibaca: .*batas waktu"),
    ):
        pull(f"{base}/", tmp_path / "mentah", set(), retry=FAST, remote=remote)


# --- listings ------------------------------------------------------------------------------------


def test_a_listing_deeper_than_the_limit_is_reported_not_entered(tmp_path: Path) -> None:
    """A listing that nests without end, as a web server serving a symlink loop does."""
    routes = {"/*": lambda h: (page("d/", "f.xlsx") if h.path.endswith("/") else body(h.path.encode()))(h)}
    remote = RemoteSource(max_depth=2)
    with serving(routes) as (base, handler):
        pulled = pull(f"{base}/", tmp_path / "mentah", set(), retry=FAST, remote=remote)
    assert sorted(i.source_path for i in pulled.incoming) == [
        f"{base}/d/d/f.xlsx",
        f"{base}/d/f.xlsx",
        f"{base}/f.xlsx",
    ]
    assert pulled.failures == [
        (
            f"{base}/d/d/d/",
            "folder tidak dijelajahi: lebih dari 2 tingkat di bawah sumber (REKAP_PULL_MAX_DEPTH)",
        )
    ]
    assert "/d/d/d/" not in [p for p, _ in handler.requests]
    assert pulled.already_seen == 0


def test_listings_are_bounded_in_pages_and_files(tmp_path: Path) -> None:
    folders = [f"f{i}/" for i in range(30)]
    routes = {
        "/lebar/": page(*folders),
        "/lebar/*": page("x.xlsx"),
        "/ramai/": page(*(f"{i}.xlsx" for i in range(40))),
        "/indeks.txt": index(*(f"{i}.xlsx" for i in range(40))),
    }
    remote = RemoteSource(max_pages=10, max_files=25)
    with serving(routes) as (base, handler):
        with pytest.raises(RunError, match=r"lebih dari 10 halaman; naikkan REKAP_PULL_MAX_PAGES"):
            pull(f"{base}/lebar/", tmp_path / "m", set(), retry=FAST, remote=remote)
        assert len(handler.requests) == 10  # the first page and nine folders, no more
        for where in ("ramai/", "indeks.txt"):
            with pytest.raises(RunError, match=r"lebih dari 25 berkas; naikkan REKAP_PULL_MAX_FILES"):
                pull(f"{base}/{where}", tmp_path / "m", set(), retry=FAST, remote=remote)
        # within the limits, the same listing is read
        wide = pull(f"{base}/lebar/", tmp_path / "m", set(), retry=FAST, remote=RemoteSource(max_pages=31))
    assert wide.listed == 30 and wide.failures == []


def test_a_hostile_listing_page_is_read_in_linear_time(tmp_path: Path) -> None:
    """Unclosed tags make html.parser quadratic (minutes for these 4 MB); the link scan is linear."""
    routes = {
        "/lt/": body(b"<html>" + b"<" * 4_000_000 + b'<a href="a.xlsx">', "text/html"),
        "/a/": body(b"<html>" + b"<a " * 1_300_000 + b'<a href="a.xlsx">', "text/html"),
        "/*": body(FILE),
    }
    remote = RemoteSource(max_file_bytes=8 * 2**20)
    with serving(routes) as (base, _):
        for folder in ("lt", "a"):
            started = time.monotonic()
            pulled = pull(f"{base}/{folder}/", tmp_path / folder, set(), retry=FAST, remote=remote)
            assert time.monotonic() - started < 5
            assert [i.source_path for i in pulled.incoming] == [f"{base}/{folder}/a.xlsx"]


def test_names_from_a_listing_are_never_paths(tmp_path: Path) -> None:
    routes = {
        "/": page("..%2F..%2Fkeluar.xlsx", "%2Fetc%2Fpasswd.xlsx", "baris%0Abaru.xlsx"),
        "/*": lambda h: body(h.path.encode())(h),
    }
    with serving(routes) as (base, _):
        pulled = pull(f"{base}/", tmp_path / "mentah", set(), retry=FAST, remote=LIMITS)
    assert pulled.failures == []
    # shown decoded, a line break left encoded: one line in a log, a letter, the warehouse
    assert {i.source_path for i in pulled.incoming} == {
        f"{base}//etc/passwd.xlsx",
        f"{base}/../../keluar.xlsx",
        f"{base}/baris%0Abaru.xlsx",
    }
    # kept under their hashes only, inside the raw store
    assert [p.name for p in tmp_path.iterdir()] == ["mentah"]
    kept = sorted(
        p.relative_to(tmp_path / "mentah").as_posix() for p in (tmp_path / "mentah").rglob("*.xlsx")
    )
    assert kept == sorted(f"{i.file_hash[:2]}/{i.file_hash}.xlsx" for i in pulled.incoming)


# --- credentials ---------------------------------------------------------------------------------


def test_an_auth_header_goes_to_the_source_only(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    bearer = f"Bearer {SECRET}"
    with serving({"/b.xlsx": body(FILE[::-1])}) as (other, other_handler):
        routes = {
            "/": requires("Authorization", bearer, page("a.xlsx", "pindah.xlsx")),
            "/a.xlsx": requires("Authorization", bearer, body(FILE)),
            "/pindah.xlsx": requires("Authorization", bearer, redirect(f"{other}/b.xlsx")),
        }
        remote = RemoteSource(auth_header=f"Authorization: {bearer}", allow=("127.0.0.1",))
        with serving(routes) as (base, _), caplog.at_level(logging.DEBUG):
            pulled = pull(f"{base}/", tmp_path / "mentah", set(), retry=FAST, remote=remote)
            with pytest.raises(RunError, match=r"tidak diizinkan membaca berkas \(HTTP 401\)"):
                pull(f"{base}/", tmp_path / "m2", set(), retry=FAST, remote=LIMITS)
    assert pulled.failures == [] and len(pulled.incoming) == 2
    ((path, headers),) = other_handler.requests
    assert path == "/b.xlsx" and "Authorization" not in headers
    assert no_secret(caplog.text, pulled, repr(remote))


def test_an_auth_header_that_is_not_one_stops_the_run_without_quoting_it(tmp_path: Path) -> None:
    remote = RemoteSource(auth_header=f"Bearer {SECRET}")
    with pytest.raises(RunError, match="REKAP_HTTP_AUTH_HEADER harus berbentuk") as caught:
        pull("http://127.0.0.1:9/", tmp_path / "mentah", set(), retry=FAST, remote=remote)
    assert no_secret(caught.value)


def test_credentials_in_the_source_url_are_redacted_everywhere(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    from rekap.cli import run as cli  # the module, for its summary printer
    from rekap.load.load import load_and_roll_up
    from rekap.report.notify import completion_message
    from rekap.report.outcome import read_outcome
    from rekap.runtime import check_files
    from rekap.settings import SAMPLE_DIR
    from rekap.warehouse.store import connect

    sample = sorted((SAMPLE_DIR / "tw1").glob("*.xlsx"))[0]
    basic = "Basic " + b64encode(f"budi:{SECRET}".encode()).decode()
    routes = {
        "/ke/": requires("Authorization", basic, page(sample.name, "hilang.xlsx", "~$kunci.xlsx")),
        f"/ke/{sample.name}": requires("Authorization", basic, body(sample.read_bytes())),
        "/ke/indeks.txt": index(f"a.xlsx?token={SECRET}", f"hilang.xlsx?token={SECRET}"),
        "/ke/a.xlsx": body(FILE),
    }
    with serving(routes) as (base, _), caplog.at_level(logging.DEBUG):
        host = base.removeprefix("http://")
        pulled = pull(
            f"http://budi:{SECRET}@{host}/ke/", tmp_path / "mentah", set(), retry=FAST, remote=LIMITS
        )
        by_index = pull(
            f"{base}/ke/indeks.txt?token={SECRET}", tmp_path / "m2", set(), retry=FAST, remote=LIMITS
        )
        with pytest.raises(RunError) as unreadable:
            pull(f"http://budi:{SECRET}@{host}/tidak-ada/", tmp_path / "m3", set(), retry=FAST, remote=LIMITS)

    (item,) = pulled.incoming
    assert item.source_path == f"http://***@{host}/ke/{sample.name}"
    assert pulled.failures == [
        (f"http://***@{host}/ke/hilang.xlsx", "berkas tidak ditemukan di sumber (HTTP 404)")
    ]
    assert [i.source_path for i in by_index.incoming] == [f"{base}/ke/a.xlsx?token=***"]
    assert [f.source_path for f in by_index.failures] == [f"{base}/ke/hilang.xlsx?token=***"]
    assert str(unreadable.value).startswith(f"Sumber tidak dapat dibaca: http://***@{host}/tidak-ada/")
    assert "kredensial" in caplog.text  # the steward is told to keep them in a Secret block

    # what the run makes of it: the warehouse, the CLI's summary, the notification
    warehouse = tmp_path / "gudang.duckdb"
    checked = check_files(pulled.incoming, 2024, 1, "36.02", workers=1)
    summary = load_and_roll_up(checked, warehouse, None, "r1", passed_over=pulled.passed_over)
    summary.pull_failures = pulled.failures
    con = connect(warehouse, read_only=True)
    try:
        stored = con.execute("SELECT source_path FROM core.submission").fetchall()
        passed = con.execute("SELECT source_path FROM core.berkas_dilewati").fetchall()
    finally:
        con.close()
    assert stored == [(item.source_path,)]
    assert passed == [(f"http://***@{host}/ke/~$kunci.xlsx",)]
    cli.print_summary(summary, warehouse)
    message = completion_message(summary, read_outcome(warehouse, summary, ["36.02"]))
    assert f"http://***@{host}/ke/hilang.xlsx" in message["text"]
    assert no_secret(caplog.text, pulled, by_index, unreadable.value, capsys.readouterr().out, message)
