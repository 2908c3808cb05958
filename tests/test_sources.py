"""Pulling submissions from a folder, a real HTTP server on 127.0.0.1 and a local S3-compatible server
(moto): retries with backoff on transient failures, failures reported and not dropped, and every file
kept as received in the raw store under its hash."""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

import pytest

from rekap.contract.errors import RunError
from rekap.intake.folder import pull_local
from rekap.intake.http import links_in, urls_in_index
from rekap.intake.remote import describe_failure, is_transient
from rekap.intake.sources import pull, source_kind
from rekap.settings import RemoteSource, Retry
from tests import receivers

SAMPLE_TW1 = Path(__file__).resolve().parents[1] / "sample" / "lebak-2024" / "tw1"
FAST = Retry(attempts=4, backoff_seconds=0.01)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small source folder: three submissions in two sub-folders, a file whose name starts with a dot
    (read like any other), a lock file and the OPD list (both passed over, with why), and one file whose
    bytes repeat another's under a second name."""
    root = tmp_path / "berkas"
    files = sorted(SAMPLE_TW1.glob("*.xlsx"))[:3]
    (root / "a").mkdir(parents=True)
    (root / "b c").mkdir()
    shutil.copy(files[0], root / "a" / files[0].name)
    shutil.copy(files[1], root / "a" / "Laporan KE TW I (revisi).xlsx")
    shutil.copy(files[2], root / "b c" / files[2].name)
    shutil.copy(files[2], root / "b c" / "salinan sama.xlsx")
    (root / ".tersembunyi.xlsx").write_bytes(b"x")
    (root / "a" / "~$kunci.xlsx").write_bytes(b"x")
    (root / "daftar_opd.csv").write_text("kode_pemda,tahun,kode_skpd,nama_skpd\n", encoding="utf-8")
    return root


class Flaky(SimpleHTTPRequestHandler):
    """Serves a folder; paths in `fail_first` answer 503 for their first N requests, paths in
    `always_fail` always answer `always_status`, and every request is counted."""

    fail_first: ClassVar[dict[str, int]] = {}
    slow_first: ClassVar[dict[str, int]] = {}  # answer after a pause, the first N times
    always_fail: ClassVar[set[str]] = set()
    always_status: ClassVar[int] = 503
    hits: ClassVar[Counter[str]] = Counter()

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        self.hits[path] += 1
        if path in self.always_fail:
            self.send_error(self.always_status)
            return
        if self.hits[path] <= self.slow_first.get(path, 0):
            time.sleep(1)
        if self.hits[path] <= self.fail_first.get(path, 0):
            self.send_error(503, "sedang sibuk")
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_server(folder: Path) -> Iterator[tuple[str, type[Flaky]]]:
    """A real HTTP server on 127.0.0.1 serving `folder` (directory listings included)."""
    attrs = {"fail_first": {}, "slow_first": {}, "always_fail": set(), "hits": Counter()}
    handler = type("Handler", (Flaky,), attrs)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    with receivers.serving(server) as port:
        yield f"http://127.0.0.1:{port}", handler


def assert_in_raw_store(raw_dir: Path, incoming: list) -> None:
    for item in incoming:
        assert item.raw_path == raw_dir / item.file_hash[:2] / f"{item.file_hash}{item.raw_path.suffix}"
        assert item.raw_path.suffix == Path(item.source_path).suffix.lower()
        assert sha256(item.raw_path) == item.file_hash


# --- pure helpers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("berkas/2024", "local"),
        ("/srv/berkas", "local"),
        ("berkas: final/tw1", "local"),
        ("file:///srv/berkas", "local"),
        ("http://127.0.0.1:8000/ke/", "http"),
        ("HTTPS://contoh.go.id/berkas/index.txt", "http"),
        ("s3://gudang/2024/tw1", "s3"),
    ],
)
def test_source_kind(source: str, kind: str) -> None:
    assert source_kind(source) == kind


def test_source_kind_refuses_unknown_schemes() -> None:
    with pytest.raises(RunError, match="tidak dikenal"):
        source_kind("ftp://127.0.0.1/berkas")


def test_links_and_index_resolve_relative_urls() -> None:
    page = '<ul><li><a href="tw1/">tw1/</a></li><li><a href="Lap%20KE.xlsx?x=1#a">Lap KE</a></li></ul>'
    assert links_in(page, "http://h/ke/") == ["http://h/ke/tw1/", "http://h/ke/Lap%20KE.xlsx"]
    index = "# berkas triwulan I\n\ntw1/a.xlsx\n  http://h/lain/b.csv  \n"
    assert urls_in_index(index, "http://h/ke/daftar.txt") == ["http://h/ke/tw1/a.xlsx", "http://h/lain/b.csv"]


class _Status(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


@pytest.mark.parametrize(
    ("exc", "transient"),
    [
        (_Status(503), True),
        (_Status(500), True),
        (_Status(429), True),
        (_Status(404), False),
        (_Status(403), False),
        (ConnectionResetError(), True),
        (TimeoutError(), True),
        (FileNotFoundError("x"), False),
        (ValueError("x"), False),
    ],
)
def test_transient_failures(exc: Exception, transient: bool) -> None:
    assert is_transient(exc) is transient


def test_transient_when_wrapped() -> None:
    try:
        try:
            raise _Status(502)
        except _Status as inner:
            raise OSError("gagal") from inner
    except OSError as outer:
        assert is_transient(outer)
        assert (
            describe_failure(outer, 4)
            == "server sumber sedang bermasalah (HTTP 502) (setelah 4 kali percobaan)"
        )


def test_backoff_doubles_up_to_a_ceiling() -> None:
    retry = Retry(attempts=6, backoff_seconds=2, max_wait_seconds=10)
    assert [retry.wait(n) for n in range(1, 6)] == [2, 4, 8, 10, 10]


# --- local folder --------------------------------------------------------------------------------


def test_local_pull_keeps_every_file_as_received(folder: Path, tmp_path: Path) -> None:
    raw = tmp_path / "mentah"
    pulled = pull(str(folder), raw, set(), {(folder / "daftar_opd.csv").resolve()})
    assert pulled.listed == 7 and len(pulled.incoming) == 4 and pulled.already_seen == 1
    assert sorted(Path(p.source_path).name for p in pulled.passed_over) == ["daftar_opd.csv", "~$kunci.xlsx"]
    assert pulled.failures == []
    assert_in_raw_store(raw, pulled.incoming)
    # pull_local keeps its signature and its answers: the same files, the same raw copies
    again = pull_local(folder, tmp_path / "mentah2", set(), {(folder / "daftar_opd.csv").resolve()})
    assert [i.file_hash for i in again] == [i.file_hash for i in pulled.incoming]
    assert [i.source_path for i in again] == [i.source_path for i in pulled.incoming]


def test_local_pull_skips_seen_files(folder: Path, tmp_path: Path) -> None:
    first = pull(str(folder), tmp_path / "mentah", set())
    second = pull(str(folder), tmp_path / "mentah", {i.file_hash for i in first.incoming})
    assert second.incoming == [] and second.already_seen == second.listed - len(second.passed_over)


# --- HTTP ----------------------------------------------------------------------------------------


def test_http_listing_pulls_every_file_below_it(http_server, folder: Path, tmp_path: Path) -> None:
    base, _ = http_server
    raw = tmp_path / "mentah"
    pulled = pull(f"{base}/", raw, set(), {folder / "daftar_opd.csv"}, retry=FAST)
    local = pull(str(folder), tmp_path / "lokal", set(), {(folder / "daftar_opd.csv").resolve()})
    assert pulled.failures == []
    assert pulled.listed == 7
    assert sorted(i.file_hash for i in pulled.incoming) == sorted(i.file_hash for i in local.incoming)
    assert sorted(p.alasan for p in pulled.passed_over) == sorted(p.alasan for p in local.passed_over)
    assert_in_raw_store(raw, pulled.incoming)
    # the steward sees where each file came from, names decoded
    assert f"{base}/a/Laporan KE TW I (revisi).xlsx" in {i.source_path for i in pulled.incoming}
    # a sub-folder named without its trailing slash
    sub = pull(f"{base}/b%20c", tmp_path / "mentah3", set(), retry=FAST)
    assert (sub.listed, len(sub.incoming), sub.already_seen) == (2, 1, 1)  # two names, the same bytes
    assert sub.incoming[0].source_path.startswith(f"{base}/b c/")


def test_http_retries_transient_failures_and_reports_the_file_that_never_comes(
    http_server, folder: Path, tmp_path: Path
) -> None:
    base, handler = http_server
    flaky = "/a/Laporan KE TW I (revisi).xlsx"
    broken = next(f"/b c/{p.name}" for p in (folder / "b c").iterdir() if p.name != "salinan sama.xlsx")
    handler.fail_first = {flaky: 2, "/": 1}
    handler.always_fail = {broken}
    waits: list[float] = []
    pulled = pull(
        f"{base}/", tmp_path / "mentah", set(), {folder / "daftar_opd.csv"}, retry=FAST, sleep=waits.append
    )

    assert handler.hits[flaky] == 3  # two 503s, then the file
    assert handler.hits[broken] == FAST.attempts
    assert [f.source_path for f in pulled.failures] == [f"{base}{broken}"]
    assert (
        pulled.failures[0].reason == "server sumber sedang bermasalah (HTTP 503) (setelah 4 kali percobaan)"
    )
    # the others went on: the flaky one and the rest, including the copy of the broken file's bytes
    names = {Path(i.source_path).name for i in pulled.incoming}
    assert names == {
        "Laporan KE TW I (revisi).xlsx",
        "salinan sama.xlsx",
        sorted(SAMPLE_TW1.glob("*.xlsx"))[0].name,
        ".tersembunyi.xlsx",
    }
    assert waits[:1] == [0.01]  # listing page retried once
    assert waits.count(0.02) >= 2  # and the backoff doubles


def test_http_server_that_stops_answering_is_tried_again(
    http_server, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, handler = http_server
    monkeypatch.setattr("rekap.intake.http.HTTP_READ_SECONDS", 0.3)
    slow = "/a/Laporan KE TW I (revisi).xlsx"
    handler.slow_first = {slow: 1}
    pulled = pull(f"{base}/", tmp_path / "mentah", set(), {folder / "daftar_opd.csv"}, retry=FAST)
    assert pulled.failures == [] and len(pulled.incoming) == 4
    assert handler.hits[slow] == 2


def test_http_not_found_is_reported_without_retrying(http_server, folder: Path, tmp_path: Path) -> None:
    base, handler = http_server
    index = folder / "indeks.txt"
    index.write_text(
        "# daftar berkas\na/Laporan%20KE%20TW%20I%20(revisi).xlsx\nhilang.xlsx\n", encoding="utf-8"
    )
    pulled = pull(f"{base}/indeks.txt", tmp_path / "mentah", set(), retry=FAST)
    assert [Path(i.source_path).name for i in pulled.incoming] == ["Laporan KE TW I (revisi).xlsx"]
    assert pulled.failures == [(f"{base}/hilang.xlsx", "berkas tidak ditemukan di sumber (HTTP 404)")]
    assert handler.hits["/hilang.xlsx"] == 1


def test_http_source_that_cannot_be_listed_stops_the_run(http_server, tmp_path: Path) -> None:
    base, handler = http_server
    handler.always_fail = {"/"}
    with pytest.raises(RunError, match=r"Sumber tidak dapat dibaca: .*HTTP 503"):
        pull(f"{base}/", tmp_path / "mentah", set(), retry=FAST, sleep=lambda _: None)


def test_connection_refused_is_reported(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(RunError, match="koneksi gagal"):
        pull(f"http://127.0.0.1:{port}/", tmp_path / "mentah", set(), retry=FAST, sleep=lambda _: None)


# --- S3 ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A local S3-compatible server (moto) on 127.0.0.1."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_options(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    # Credentials and region are explicit, so nothing looks for them on the network.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    return {
        "key": "rekap",
        "secret": "rahasia",
        "endpoint_url": s3_endpoint,
        "client_kwargs": {"region_name": "us-east-1"},
    }


def test_s3_pull(s3_options: dict, folder: Path, tmp_path: Path) -> None:
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=s3_options["endpoint_url"],
        aws_access_key_id=s3_options["key"],
        aws_secret_access_key=s3_options["secret"],
        region_name="us-east-1",
    )
    s3.create_bucket(Bucket="berkas-ke")
    for path in folder.rglob("*"):
        if path.is_file():
            s3.upload_file(str(path), "berkas-ke", f"2024/{path.relative_to(folder).as_posix()}")
    s3.put_object(Bucket="berkas-ke", Key="lain/bukan-ini.xlsx", Body=b"x")

    raw = tmp_path / "mentah"
    pulled = pull(
        "s3://berkas-ke/2024", raw, set(), {folder / "daftar_opd.csv"}, storage_options=s3_options, retry=FAST
    )
    local = pull(str(folder), tmp_path / "lokal", set(), {(folder / "daftar_opd.csv").resolve()})
    assert pulled.failures == [] and pulled.listed == 7
    assert sorted(i.file_hash for i in pulled.incoming) == sorted(i.file_hash for i in local.incoming)
    assert sorted(p.alasan for p in pulled.passed_over) == sorted(p.alasan for p in local.passed_over)
    assert all(i.source_path.startswith("s3://berkas-ke/2024/") for i in pulled.incoming)
    assert_in_raw_store(raw, pulled.incoming)

    seen = {i.file_hash for i in pulled.incoming}
    again = pull("s3://berkas-ke/2024/", raw, seen, {folder / "daftar_opd.csv"}, storage_options=s3_options)
    assert again.incoming == [] and again.failures == []


def test_s3_missing_bucket_stops_the_run(s3_options: dict, tmp_path: Path) -> None:
    with pytest.raises(RunError, match="Sumber tidak dapat dibaca: s3://tidak-ada"):
        pull("s3://tidak-ada/2024", tmp_path / "mentah", set(), storage_options=s3_options, retry=FAST)


def test_s3_objects_are_capped_and_listings_counted(s3_options: dict, tmp_path: Path) -> None:
    import boto3

    s3 = boto3.client(
        "s3", endpoint_url=s3_options["endpoint_url"], aws_access_key_id=s3_options["key"],
        aws_secret_access_key=s3_options["secret"], region_name="us-east-1",
    )  # fmt: skip
    limits = RemoteSource(max_file_bytes=256 * 1024)
    small = os.urandom(20_000)
    s3.create_bucket(Bucket="batas")
    s3.put_object(Bucket="batas", Key="2024/besar.xlsx", Body=b"x" * (limits.max_file_bytes + 1))
    s3.put_object(Bucket="batas", Key="2024/kecil.xlsx", Body=small)
    for i in range(30):
        s3.put_object(Bucket="batas", Key=f"ramai/{i}.xlsx", Body=str(i).encode())

    pulled = pull(
        "s3://batas/2024", tmp_path / "m1", set(), storage_options=s3_options, retry=FAST, remote=limits
    )
    assert pulled.failures == [
        (
            "s3://batas/2024/besar.xlsx",
            "berkas lebih besar dari batas 262.144 byte (REKAP_MAX_FILE_BYTES); tidak diunduh",
        )
    ]
    assert [i.file_hash for i in pulled.incoming] == [hashlib.sha256(small).hexdigest()]
    few = RemoteSource(max_files=25)
    with pytest.raises(RunError, match="lebih dari 25 berkas; naikkan REKAP_PULL_MAX_FILES"):
        pull("s3://batas/ramai", tmp_path / "m2", set(), storage_options=s3_options, retry=FAST, remote=few)
    crowded = pull("s3://batas/ramai/", tmp_path / "m3", set(), storage_options=s3_options, retry=FAST)
    assert crowded.listed == 30 and crowded.failures == []


def test_a_folder_pulled_again_is_not_hashed_again_but_a_changed_file_is(tmp_path: Path) -> None:
    folder = tmp_path / "kiriman"
    shutil.copytree(SAMPLE_TW1, folder)
    raw = tmp_path / "mentah"
    first = {i.source_path: i.file_hash for i in pull_local(folder, raw, set())}
    assert first == {path: sha256(Path(path)) for path in first} and len(first) > 10
    (cache,) = (raw / ".sidik").iterdir()

    # Unchanged files keep the hash the cache holds: to prove the cache is what answers, plant the hash
    # of a recorded file for one whose size and mtime did not change: it is taken as seen.
    entries = marshal.loads(cache.read_bytes())
    key = next(iter(sorted(entries)))  # the path below the source folder
    target = str(folder / key)
    entries[key][2] = "0" * 64
    cache.write_bytes(marshal.dumps(entries))
    again = {i.source_path: i.file_hash for i in pull_local(folder, raw, {"0" * 64})}
    assert again == {k: v for k, v in first.items() if k != target}

    # A stale cache still makes no wrong copy: with the planted hash not recorded, the file is copied,
    # the copy's hash is not the cache's, and the file is kept under the hash of its bytes.
    again = {i.source_path: i.file_hash for i in pull_local(folder, raw, set())}
    assert again == first
    assert not list(raw.rglob("0000*"))

    # A file rewritten with other bytes of the same size is hashed again (its mtime moved).
    changed = Path(target)
    data = bytearray(changed.read_bytes())
    data[-1] ^= 0xFF
    changed.write_bytes(bytes(data))
    os.utime(changed, ns=(time.time_ns(), time.time_ns() + 10**9))
    after = {i.source_path: i.file_hash for i in pull_local(folder, raw, set())}
    assert after[target] == sha256(changed) != first[target]

    # A damaged or foreign cache only costs a re-hash.
    for damaged in (b"{not marshal", b"\xe3\x00", marshal.dumps(["a", "list"]), b""):
        cache.write_bytes(damaged)
        assert {i.source_path: i.file_hash for i in pull_local(folder, raw, set())} == after
