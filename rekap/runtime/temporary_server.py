"""The temporary Prefect server of `rekap run` when no Prefect API is configured, started with the command.

Without an API URL, Prefect 3.8 starts a temporary server at the first flow call: it imports the whole
server application into the command's process (seconds), then starts it again in a subprocess (uvicorn,
seconds more) and waits for it, on the critical path. Prefect 3.8 has no setting that makes this cheaper:
there is no in-process server for flow runs any more. Skipping the migrations on start
(PREFECT_SERVER_DATABASE_MIGRATE_ON_START=false) is unsafe on a new PREFECT_HOME or after Prefect is
upgraded, so the command skips them only where Prefect's database is already at the newest of the
installed Prefect's migrations (`_migrated`).

So the command starts the same subprocess itself, before it imports anything, and points Prefect at it with
PREFECT_API_URL: the server starts on the other core while the command imports Prefect, and the run is the
same flow run in the same database under PREFECT_HOME. Whether Prefect would have wanted a temporary server
is guessed from the usual places (the environment, the active profile); once Prefect is imported its own
settings confirm the guess, and when they do not, or the server does not come up, the command starts again
without one and Prefect does what it always did.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

# Set for the command started again after a wrong guess: it leaves the temporary server to Prefect.
NOT_AGAIN = "REKAP_TEMPORARY_SERVER_DECLINED"

# Prefect's public settings (prefect.settings.models.server) for a server that lives as long as one command.
SERVER_SETTINGS = {
    "PREFECT_SERVER_UI_ENABLED": "false",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    **{
        f"PREFECT_SERVER_SERVICES_{service}_ENABLED": "false"
        for service in (
            "SCHEDULER",
            "LATE_RUNS",
            "CANCELLATION_CLEANUP",
            "FOREMAN",
            "PAUSE_EXPIRATIONS",
            "REPOSSESSOR",
            "CLEANUP_RECONCILER",
        )
    },
}

# Added to them where Prefect's database is already at the installed Prefect's newest migration (`_migrated`).
MIGRATED = {"PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "false"}


def _configured_elsewhere() -> bool:
    """Whether an API URL (or no temporary server) may be configured where Prefect reads its settings."""
    env = os.environ
    if env.get(NOT_AGAIN):
        return True
    if "PREFECT_API_URL" in env:  # set, even empty (`PREFECT_API_URL= rekap run ...`), it decides
        return bool(env["PREFECT_API_URL"])
    if any(env.get(name, "").lower() in ("0", "false") for name in
           ("PREFECT_SERVER_EPHEMERAL_ENABLED", "PREFECT_SERVER_ALLOW_EPHEMERAL_MODE")):  # fmt: skip
        return True
    cwd = Path.cwd()
    if (cwd / ".env").exists() or (cwd / "prefect.toml").exists():
        return True
    try:
        if "tool.prefect" in (cwd / "pyproject.toml").read_text(encoding="utf-8"):
            return True
    except FileNotFoundError:
        pass
    return "PREFECT_API_URL" in _active_profile()


def _prefect_home() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def _active_profile() -> dict[str, object]:
    """The settings of Prefect's active profile (none where there is no profiles file: Prefect's own
    profiles, "ephemeral" active)."""
    env = os.environ
    profiles_path = Path(env.get("PREFECT_PROFILES_PATH") or _prefect_home() / "profiles.toml").expanduser()
    if not profiles_path.exists():
        return {}
    profiles = tomllib.loads(profiles_path.read_text(encoding="utf-8"))
    active = env.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
    return profiles.get("profiles", {}).get(active, {})


def prefect_site() -> Path:
    """The folder Prefect is installed in, found without importing it."""
    spec = importlib.util.find_spec("prefect")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))).parent


# Prefect's alembic scripts for SQLite, under `prefect_site()`: each names its revision and the one before.
SQLITE_MIGRATIONS = "prefect/server/database/_migrations/versions/sqlite"
_REVISION = re.compile(r"^(down_)?revision\b[^=\n]*=(.*)$", re.M)


def _migrated(database: Path, migrations: Path) -> bool:
    """Whether Prefect's SQLite database under PREFECT_HOME is at the newest of the installed Prefect's
    migrations (`migrations`: its SQLite scripts), so that the server's start need not run them: alembic's
    import and its reading of every script, about 0.5 s of CPU on the two cores the command shares. False
    (Prefect migrates, as always) for a new database, one at another revision (Prefect upgraded, or
    another Prefect's), a database configured elsewhere (any DATABASE setting in the environment or the
    profile), or anything unreadable."""
    if any("DATABASE" in name for name in [*os.environ, *_active_profile()] if name.startswith("PREFECT_")):
        return False
    revisions, replaced = set(), set()
    try:
        for script in migrations.glob("*.py"):
            for down, value in _REVISION.findall(script.read_text(encoding="utf-8")):
                (replaced if down else revisions).update(re.findall(r"[\"'](\w+)[\"']", value))
        heads = revisions - replaced
        if len(heads) != 1 or not database.is_file():
            return False
        with contextlib.closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as db:
            versions = {v for (v,) in db.execute("SELECT version_num FROM alembic_version")}
    except (OSError, UnicodeDecodeError, sqlite3.Error):
        return False
    return versions == heads


class TemporaryServer:
    """The uvicorn subprocess that Prefect would start, on a free local port."""

    def __init__(self) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        app_dir = prefect_site()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.ui_url: str | None = None  # what the command set PREFECT_UI_URL to, if it did
        self.api_url_before: str | None = None  # PREFECT_API_URL before the command set it (unset, or "")
        # A server on a new PREFECT_HOME first creates its database: all of Prefect's migrations, 15-25 s
        # on two busy cores, more than the 20 s that Prefect gives its own temporary server by default. A
        # steward's first run should not fail for that: it is given twice the time (see `confirm`).
        database = _prefect_home() / "prefect.db"
        self.new_database = not database.exists()
        migrated = _migrated(database, app_dir / SQLITE_MIGRATIONS)
        # Prefect's own temporary server runs its app under uvicorn in a subprocess, as here; the same
        # server as an ephemeral one is asked for with public settings only: no UI, no analytics, and none
        # of the services that act on a server's deployments and runs by themselves (schedules, late runs,
        # cancellations, workers' health, expired pauses and leases). What records this run's task runs and
        # events runs, as in Prefect's own.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(app_dir), "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "error", "--lifespan", "on"],
            env={**os.environ, **SERVER_SETTINGS, **(MIGRATED if migrated else {})},
        )  # fmt: skip

    def ready(self, timeout: float) -> bool:
        """Wait until the server answers, at most `timeout` seconds from now (as long as Prefect waits for
        its own, started later); False if it ended or did not answer."""
        deadline = time.monotonic() + timeout
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with direct.open(f"{self.api_url}/health", timeout=1) as response:
                    if response.status == 200:
                        return True
            except OSError:
                pass
            time.sleep(0.1)
        return False

    def stop(self) -> None:
        """Stop the server as Prefect stops its own: terminate, then kill after five seconds."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_early() -> TemporaryServer | None:
    """Before Prefect is imported: start a temporary server and point Prefect at it, unless Prefect may be
    configured with an API (or without a temporary server) somewhere."""
    try:
        if _configured_elsewhere():
            return None
    except (OSError, ValueError):  # an unreadable profile: leave it to Prefect
        return None
    if os.environ.get("PREFECT_API_URL") == "":
        # Set empty on purpose (what `rekap` says to do when the configured server is down): a temporary
        # server, whatever the profile says about them.
        os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_ENABLED", "true")
    server = TemporaryServer()
    server.api_url_before = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = server.api_url
    if "PREFECT_UI_URL" not in os.environ:
        # No UI at a temporary server: no link to it in the log or the notifications (as Prefect's own).
        os.environ["PREFECT_UI_URL"] = server.ui_url = ""
    return server


def confirm(server: TemporaryServer) -> bool:
    """After Prefect is imported: whether Prefect, left to its settings, would have started a temporary
    server too, and this one is up (waiting for it as long as Prefect would for its own, twice that while
    it creates a new database). False when it is not wanted or ended (its port taken meanwhile, say); an
    error when it does not answer in time."""
    from prefect.settings import Settings

    ours = os.environ.pop("PREFECT_API_URL")
    if server.api_url_before is not None:
        os.environ["PREFECT_API_URL"] = server.api_url_before
    try:
        settings = Settings()
    finally:
        os.environ["PREFECT_API_URL"] = ours
    if settings.api.url or not settings.server.ephemeral.enabled:
        return False
    timeout = settings.server.ephemeral.startup_timeout_seconds * (2 if server.new_database else 1)
    if not server.ready(timeout):
        if server.process.poll() is not None:
            return False
        server.stop()
        raise RuntimeError(
            f"Server Prefect sementara tidak menjawab dalam {timeout} detik "
            "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS); jalankan server tetap: docs/operasi.md"
        )
    print(
        f"Server Prefect sementara berjalan di {server.api_url} selama rekap ini (PREFECT_API_URL kosong; "
        "server tetap: docs/operasi.md)",
        file=sys.stderr,
    )
    return True


def start_again_without(server: TemporaryServer) -> None:
    """Replace this command by itself without the temporary server (the guess was wrong, or the server
    ended): Prefect then does what it always did."""
    server.stop()
    del os.environ["PREFECT_API_URL"]
    if server.api_url_before is not None:
        os.environ["PREFECT_API_URL"] = server.api_url_before
    if server.ui_url is not None:
        del os.environ["PREFECT_UI_URL"]
    os.environ[NOT_AGAIN] = "1"
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, sys.orig_argv)
