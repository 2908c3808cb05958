"""`rekap run` as a command: its early temporary Prefect server, and the same report as the run in a test's
process."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rekap.runtime import temporary_server
from rekap.settings import REPO, SAMPLE_DIR

BIN = Path(sys.executable).parent


@pytest.fixture
def prefect_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory and PREFECT_HOME, no Prefect setting in the environment."""
    for name in list(os.environ):
        if name.startswith("PREFECT_"):
            monkeypatch.delenv(name)
    (tmp_path / "kerja").mkdir()
    monkeypatch.chdir(tmp_path / "kerja")
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    return tmp_path


def test_a_temporary_server_is_started_only_where_prefect_would_start_one(
    prefect_elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configured = temporary_server._configured_elsewhere
    assert not configured()  # Prefect's own profiles: "ephemeral"
    home = prefect_elsewhere / "prefect"
    home.mkdir()
    profiles = home / "profiles.toml"
    profiles.write_text('active = "lokal"\n[profiles.lokal]\nPREFECT_API_URL = "http://10.0.0.5:4200/api"\n')
    assert configured()
    monkeypatch.setenv("PREFECT_PROFILE", "lain")
    assert not configured()
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_ENABLED", "false")
    assert configured()
    monkeypatch.delenv("PREFECT_SERVER_EPHEMERAL_ENABLED")
    (Path.cwd() / "prefect.toml").write_text('[api]\nurl = "http://10.0.0.5:4200/api"\n')
    assert configured()
    (Path.cwd() / "prefect.toml").unlink()
    monkeypatch.setenv("PREFECT_API_URL", "http://10.0.0.5:4200/api")
    assert configured()


def test_the_command_writes_the_same_report_as_the_run_in_process(prefect_api, tmp_path: Path) -> None:
    """`rekap run` typed at a prompt (quick exit) and the same run in this process."""
    from prefect.settings import PREFECT_API_URL

    from rekap.cli.main import main

    args = ["run", "--source", str(SAMPLE_DIR / "tw1"), "--tahun", "2024", "--triwulan", "1",
            "--pemda", "36.02", "--daftar-opd", str(SAMPLE_DIR / "daftar_opd.csv")]  # fmt: skip
    assert main([*args, "--warehouse", str(tmp_path / "a" / "g.duckdb"), "--out", str(tmp_path / "a")]) == 0
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "TMPDIR": str(tmp_path / "tmp")}
    command = [
        str(BIN / "rekap"),
        *args,
        "--warehouse",
        str(tmp_path / "b" / "g.duckdb"),
        "--out",
        str(tmp_path / "b"),
    ]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    assert (
        "Rekap TA 2024 triwulan 1 selesai." in done.stdout and "laporan-ke_36.02_2024_tw1.pdf" in done.stdout
    )
    # The quick end comes after multiprocessing's own: the readers' fork server leaves no folder behind.
    assert not list((tmp_path / "tmp").iterdir())
    written = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    reports = [p for p in written if p.suffix in (".xlsx", ".html", ".pdf")]
    assert {p.suffix for p in reports} == {".xlsx", ".html", ".pdf"}
    for path in reports:
        assert (tmp_path / "b" / path).read_bytes() == (tmp_path / "a" / path).read_bytes(), path


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("perintah", [["demo", "--out", "keluaran"], ["asal", "--help"]])
def test_an_unreachable_configured_server_is_one_line_and_exit_2(prefect_elsewhere: Path, perintah) -> None:
    """`prefect config set PREFECT_API_URL=...` once, the server down since: `rekap demo` says which URL
    and how to run without it, instead of Prefect's traceback (other commands need no server)."""
    url = f"http://127.0.0.1:{free_port()}/api"
    env = {**os.environ, "PREFECT_API_URL": url}
    done = subprocess.run(
        [str(BIN / "rekap"), *perintah], env=env, capture_output=True, text=True, timeout=120
    )
    if perintah[0] == "asal":
        assert done.returncode == 0
        return
    assert done.returncode == 2, done.stderr[-3000:]
    (line,) = done.stderr.strip().splitlines()
    assert url in line and "PREFECT_API_URL= rekap" in line
    assert not (prefect_elsewhere / "kerja" / "keluaran" / "gudang-ke.duckdb").exists()


def test_an_empty_api_url_runs_without_the_configured_server(prefect_elsewhere: Path) -> None:
    """The way out that line gives: `PREFECT_API_URL= rekap demo` runs on a temporary server although the
    profile names one that is down."""
    home = prefect_elsewhere / "prefect"
    home.mkdir()
    (home / "profiles.toml").write_text(
        f'active = "lokal"\n[profiles.lokal]\nPREFECT_API_URL = "http://127.0.0.1:{free_port()}/api"\n'
    )
    env = {**os.environ, "PREFECT_API_URL": ""}
    done = subprocess.run(
        [str(BIN / "rekap"), "demo", "--out", "keluaran"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Gudang data: keluaran/gudang-ke.duckdb" in done.stdout
    assert f"Riwayat run ini tersimpan di {home}" in done.stdout
    # The run's history is in the temporary server's database, without heartbeats: nothing watches them
    # on a server that ends with the command, and waiting for their thread slowed every run's end.
    with contextlib.closing(sqlite3.connect(home / "prefect.db")) as db:
        events = dict(db.execute("SELECT event, count(*) FROM events GROUP BY event").fetchall())
    assert events.get("prefect.flow-run.Completed") == 1 and events.get("prefect.task-run.Completed") == 4
    assert "prefect.flow-run.heartbeat" not in events


def test_the_temporary_server_migrates_only_a_database_not_at_prefects_newest(
    prefect_elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run creates Prefect's database (all migrations); a second finds it at the newest of the
    installed Prefect's migrations, starts the server without running them, and is recorded beside the
    first. A database at another revision, a new one or one configured elsewhere is migrated as always."""
    home = prefect_elsewhere / "prefect"
    database = home / "prefect.db"
    migrations = temporary_server.prefect_site() / temporary_server.SQLITE_MIGRATIONS
    assert not temporary_server._migrated(database, migrations)  # a new PREFECT_HOME

    def run() -> None:
        done = subprocess.run(
            [str(BIN / "rekap"), "run", "--source", str(SAMPLE_DIR / "tw1"), "--tahun", "2024",
             "--triwulan", "1", "--warehouse", "g.duckdb", "--out", "lap"],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        assert "Server Prefect sementara berjalan" in done.stderr

    run()
    assert temporary_server._migrated(database, migrations)
    run()
    with contextlib.closing(sqlite3.connect(database)) as db:
        runs = db.execute("SELECT count(*) FROM flow_run WHERE state_type = 'COMPLETED'").fetchone()[0]
        [newest] = db.execute("SELECT version_num FROM alembic_version").fetchone()
    assert runs == 2

    monkeypatch.setenv("PREFECT_SERVER_DATABASE_CONNECTION_URL", f"sqlite+aiosqlite:///{database}")
    assert not temporary_server._migrated(database, migrations)  # a database setting: Prefect's call
    monkeypatch.delenv("PREFECT_SERVER_DATABASE_CONNECTION_URL")
    with contextlib.closing(sqlite3.connect(database)) as db, db:
        db.execute("UPDATE alembic_version SET version_num = 'f416ea180ae1'")  # an older revision
    assert not temporary_server._migrated(database, migrations)
    with contextlib.closing(sqlite3.connect(database)) as db, db:
        db.execute("UPDATE alembic_version SET version_num = ?", [newest])
    assert temporary_server._migrated(database, migrations)


def test_output_cut_short_by_its_reader_is_no_traceback(tmp_path: Path) -> None:
    """`rekap asal ... | head -1`: the reader goes away early; no BrokenPipeError traceback."""
    from rekap.cli.main import main

    warehouse = tmp_path / "g.duckdb"
    args = ["--warehouse", str(warehouse), "--out", str(tmp_path / "lap")]
    assert (
        main(["run", "--source", str(SAMPLE_DIR / "tw1"), "--tahun", "2024", "--triwulan", "1", *args]) == 0
    )
    done = subprocess.run(
        f"{BIN / 'rekap'} asal --warehouse {warehouse} --pemda 36.02 --tahun 2024 --triwulan 1 | head -1",
        shell=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert len(done.stdout.splitlines()) == 1 and "hash" in done.stdout
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


def test_a_run_at_a_prompt_sends_heartbeats_only_where_they_are_asked_for(
    prefect_elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """To a running server: Prefect's default (180 s) is no request, and the run sends none; the setting,
    in the environment or prefect.toml, is kept. (On the temporary server there are none: the test of
    `PREFECT_API_URL= rekap demo` reads its database.)"""
    from prefect.context import SettingsContext
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, Settings

    from rekap.runtime.command import Command

    def sent() -> int | None:
        # Prefect's settings as a command started now reads them.
        with SettingsContext(profile=SettingsContext.get().profile, settings=Settings()):
            assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() in (180, 60, 90)
            with Command([]).flow_settings():
                return PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value()

    assert sent() is None
    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "60")
    assert sent() == 60
    monkeypatch.delenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY")
    (Path.cwd() / "prefect.toml").write_text("[flows]\nheartbeat_frequency = 90\n")
    assert sent() == 90
