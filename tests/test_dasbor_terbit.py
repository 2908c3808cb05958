"""The dashboard while runs publish: read in a loop while two runs (separate processes, as the worker runs
them) publish the sample's TW II and TW III. Zero errors, every answer one complete publish, a new publish
shown within seconds without a restart, the writer never waiting for the reader, and the replaced files let
go of."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from rekap.dasbor.app import create_app
from rekap.dasbor.gudang import Gudang
from rekap.intake.folder import pull_local
from rekap.load.load import load_and_roll_up, new_run_id
from rekap.settings import REPO, SAMPLE_DIR, raw_dir_for
from rekap.validation.batch import parse_all, validate_run
from tests.dashboard_tools import ServerThread, get, page_tables

# One run of a quarter in a process of its own, through the same functions as `rekap run`.
RUN = """
import sys
from pathlib import Path
from rekap.intake.folder import pull_local
from rekap.validation.batch import parse_all, validate_run
from rekap.settings import raw_dir_for
from rekap.warehouse.store import seen_hashes
from rekap.load.load import load_and_roll_up, new_run_id
source, warehouse, daftar = (Path(a) for a in sys.argv[1:4])
triwulan = int(sys.argv[4])
incoming = pull_local(source, raw_dir_for(warehouse), seen_hashes(warehouse), {daftar.resolve()})
checked = validate_run(parse_all(incoming), incoming, 2024, triwulan, "36.02")
summary = load_and_roll_up(checked, warehouse, daftar, new_run_id())
print(summary.accepted, summary.rejected)
"""
PAGE = "36.02/2024/tw1/ringkasan.html"
VERSI = re.compile(r'data-versi="([0-9a-f]+)"')


class Reader(threading.Thread):
    """Reads the home page, a TW I page and the version check in a loop, keeping every answer."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.stop, self.answers, self.errors = url, threading.Event(), [], []

    def run(self) -> None:
        while not self.stop.is_set():
            for path in ("index.html", PAGE, "api/versi"):
                try:
                    status, _, body = get(self.url + path)
                except Exception as exc:  # a refused or broken connection is an error too
                    self.errors.append(f"{path}: {exc!r}")
                    continue
                if status != 200:
                    self.errors.append(f"{path}: {status} {body[:200]!r}")
                else:
                    self.answers.append((path, body.decode("utf-8")))


def quarters_shown(html: str) -> tuple[str, ...]:
    return tuple(cells[0][0] for _, cells in page_tables(html)["perkembangan"])


def test_reading_while_two_runs_publish(tmp_path: Path) -> None:
    source, warehouse = tmp_path / "berkas", tmp_path / "gudang" / "gudang-ke.duckdb"
    daftar = source / "daftar_opd.csv"
    source.mkdir()
    shutil.copy(SAMPLE_DIR / "daftar_opd.csv", daftar)
    shutil.copytree(SAMPLE_DIR / "tw1", source / "tw1")
    incoming = pull_local(source, raw_dir_for(warehouse), set(), {daftar.resolve()})
    checked = validate_run(parse_all(incoming), incoming, 2024, 1, "36.02")
    load_and_roll_up(checked, warehouse, daftar, new_run_id())

    with ServerThread(create_app(warehouse)) as server:
        reader = Reader(server.url)
        reader.start()
        time.sleep(1)
        # The dashboard holds nothing a writer waits for: the writer's lock is free while it reads.
        with open(warehouse.with_name(warehouse.name + ".lock"), "a+") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
        published = [Gudang(warehouse).versi()]
        for q in (2, 3):
            shutil.copytree(SAMPLE_DIR / f"tw{q}", source / f"tw{q}")
            started = time.monotonic()
            run = subprocess.run(
                [sys.executable, "-c", RUN, str(source), str(warehouse), str(daftar), str(q)],
                cwd=REPO, capture_output=True, text=True, timeout=600,
                env={**os.environ, "GX_ANALYTICS_ENABLED": "false"},
            )  # fmt: skip
            assert run.returncode == 0, run.stderr[-2000:]
            published.append(Gudang(warehouse).versi())
            # Shown within seconds, without a restart.
            deadline = time.monotonic() + 10
            while json.loads(get(server.url + "api/versi")[2])["versi"] != published[-1]:
                assert time.monotonic() < deadline, "the new publish is not shown"
                time.sleep(0.1)
            assert time.monotonic() - started < 600
            time.sleep(1)
        reader.stop.set()
        reader.join(timeout=60)
        final = get(server.url + PAGE)[2].decode("utf-8")

        assert reader.errors == []
        pages = [html for path, html in reader.answers if path == PAGE]
        assert len(pages) > 10
        states = {
            published[0]: ("TW I 2024",),
            published[1]: ("TW I 2024", "TW II 2024"),
            published[2]: ("TW I 2024", "TW II 2024", "TW III 2024"),
        }
        seen, first_row = [], None
        for html in pages:
            versi = VERSI.search(html).group(1)
            tables = page_tables(html)
            # One complete publish: the quarters it holds, and T0 and T1 of TW I agree within the page.
            assert quarters_shown(html) == states[versi], versi
            (_, total), *_ = [r for r in tables["t1"] if r[0] == 1]
            pagu = next(cells for _, cells in tables["t0"] if cells[0][0] == "Total pagu (Rp)")
            assert total[3][1] == pagu[2][1]
            row = tables["perkembangan"][0]
            assert first_row in (None, row)  # TW I's figures never change
            first_row = row
            if not seen or seen[-1] != versi:
                seen.append(versi)
        assert seen == [v for v in published if v in seen] and published[-1] in seen  # never back in time
        homes = [html for path, html in reader.answers if path == "index.html"]
        assert "TW III 2024" in homes[-1] and quarters_shown(final) == states[published[-1]]
        # The replaced files are let go of once no request reads them (their space and memory freed).
        time.sleep(0.5)
        get(server.url + PAGE)
        stale = [
            fd for fd in os.listdir("/proc/self/fd") if "(deleted)" in _link(fd) and "gudang-ke" in _link(fd)
        ]
        assert stale == []


def _link(fd: str) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


@pytest.mark.parametrize("missing", [True, False], ids=["no-warehouse", "older-warehouse"])
def test_a_warehouse_not_ready_is_said_so(tmp_path: Path, missing: bool) -> None:
    warehouse = tmp_path / "gudang-ke.duckdb"
    if not missing:
        import duckdb

        con = duckdb.connect(str(warehouse))
        con.execute("CREATE SCHEMA core; CREATE TABLE core.submission (file_hash VARCHAR)")
        con.close()
    with ServerThread(create_app(warehouse)) as server:
        status, _, body = get(server.url + "index.html")
        assert status == 503
        assert ("tidak ditemukan" if missing else "jalankan rekap sekali").encode() in body
        assert get(server.url + "api/versi")[0] == (503 if missing else 200)
