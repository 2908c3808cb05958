"""The real thing: a Prefect server in its own process, a process work pool, the deployments of
prefect.yaml, and a worker, driven with the commands of docs/operasi.md. A steward triggers the manual
deployment for 2024 TW II; then a late TW I file arrives and a second trigger recomputes TW I. The
warehouse, the report files, the artifacts and the notification are checked through their own doors.

Everything runs on 127.0.0.1 and is torn down (process groups killed) even when a step fails."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from rekap.settings import SAMPLE_DIR, SETTINGS
from rekap.warehouse.store import connect
from tests import receivers
from tests.examples import shell_blocks

pytestmark = pytest.mark.server

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LATE = "36.02_2024_TW1_3.26.0.00.0.00.01.0000_Dinas-Pariwisata.xlsx"  # held back from the first run
PARIWISATA = "3.26.0.00.0.00.01.0000"
LINGKUNGAN_HIDUP = "2.11.0.00.0.00.01.0000"  # its TW II file only comes with the TW III batch
JAKARTA = ZoneInfo("Asia/Jakarta")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    """End a process and everything it started (it leads its own process group)."""
    if proc.poll() is not None:
        return
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


def run(
    command: str | list[str], env: dict[str, str], log: Path, timeout: float = 120, fails: bool = False
) -> str:
    """Run a command as an operator would (a string goes through bash, quotes and all) in its own process
    group; return its output, fail with it when the command does not end as expected."""
    args = ["bash", "-c", command] if isinstance(command, str) else command
    with open(log, "ab") as out:
        out.write(f"\n$ {command}\n".encode())
        out.flush()
        start = out.tell()
        proc = subprocess.Popen(
            args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        began = time.monotonic()
        try:
            code = proc.wait(timeout)
        finally:
            stop(proc)
        out.write(f"[{time.monotonic() - began:.1f} s]\n".encode())
    text = log.read_bytes()[start:].decode(errors="replace")
    assert (code != 0) == fails, f"{command} exited {code}:\n{text[-4000:]}"
    return text


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], Path]]:
    """`prefect server start` on a free port with its own PREFECT_HOME (SQLite); the environment for
    the commands that talk to it; a log of everything they print."""
    home = tmp_path_factory.mktemp("prefect-home")
    url = f"http://127.0.0.1:{free_port()}/api"
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "REKAP_")) and k not in SETTINGS
    }
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PREFECT_HOME=str(home),
        PREFECT_API_URL=url,
        PREFECT_SERVER_UI_ENABLED="false",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        GX_ANALYTICS_ENABLED="false",
    )
    # The scheduler's loops every second instead of every minute (the schedule test waits for them), and
    # runs up to a year ahead instead of 100 days, so that there are several quarters to check.
    server_env = {
        **env,
        # As docs/operasi.md starts it: the run's log streamed to `--watch`.
        "PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED": "true",
        "PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED": "true",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "1",
        "PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS": "1",
        "PREFECT_SERVER_SERVICES_SCHEDULER_MAX_SCHEDULED_TIME": "P366D",
    }
    log = home / "commands.log"
    port = url.split(":")[2].split("/")[0]
    with open(home / "server.log", "wb") as out:
        proc = subprocess.Popen(
            [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", port],
            env=server_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (home / "server.log").read_text(errors="replace")[-4000:]
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "server not healthy after 60 s"
            time.sleep(0.5)
        yield env, log
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def deployed(server: tuple[dict[str, str], Path]) -> tuple[dict[str, str], Path]:
    """The operator's one-time setup of docs/operasi.md on that server: pool, queue, deployments."""
    env, log = server
    run("prefect work-pool create rekap --type process", env, log)
    run("prefect work-queue create gudang-ke --pool rekap --limit 1", env, log)
    run("prefect --no-prompt deploy --all", env, log)
    return env, log


def server_errors(env: dict[str, str]) -> list[str]:
    """The ERROR lines the server has logged so far."""
    log = Path(env["PREFECT_HOME"]) / "server.log"
    return [line for line in log.read_text(errors="replace").splitlines() if "ERROR" in line]


def test_the_quarterly_schedule_creates_its_runs(deployed) -> None:
    """The server's scheduler, not only the cron text: `rekap-triwulan/terjadwal` gets its next runs, each
    at 07:00 WIB on the 10th of January, April, July or October, and the server logs no error meanwhile
    (a dependency that breaks the scheduler fails here)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.settings import PREFECT_API_URL, temporary_settings

    env, _log = deployed
    with (
        temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}),
        get_client(sync_client=True) as client,
    ):
        deployment = client.read_deployment_by_name("rekap-triwulan/terjadwal")
        deadline = time.monotonic() + 60
        while True:
            runs = client.read_flow_runs(
                deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["terjadwal"])),
                flow_run_filter=FlowRunFilter(
                    state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
                ),
            )
            if len(runs) >= 3 or time.monotonic() > deadline:
                break
            time.sleep(1)
    assert all(r.deployment_id == deployment.id for r in runs)
    times = sorted(r.expected_start_time.astimezone(JAKARTA) for r in runs)
    assert len(times) >= 3, (
        f"the scheduler made {len(times)} runs in 60 s; server errors: {server_errors(env)[:5]}"
    )
    assert [(t.day, t.hour, t.minute) for t in times] == [(10, 7, 0)] * len(times)
    assert {t.month for t in times} <= {1, 4, 7, 10}
    # consecutive quarters, the first of them the next 10th of Jan/Apr/Jul/Oct from now
    assert all((b.year * 12 + b.month) - (a.year * 12 + a.month) == 3 for a, b in itertools.pairwise(times))
    now = dt.datetime.now(JAKARTA)
    assert now < times[0] <= now + dt.timedelta(days=92)
    assert server_errors(env) == []


def trigger(env: dict[str, str], log: Path, source: Path) -> str:
    """The manual trigger exactly as a steward types it (pemda quoted: 36.02 alone would be a number)."""
    command = (
        "prefect deployment run 'rekap-triwulan/manual' -p tahun=2024 -p triwulan=2 "
        f"-p source={shlex.quote(str(source))} -p pemda='\"36.02\"'"
    )
    output = run(command, env, log)
    (flow_run_id,) = re.findall(r"UUID: ([0-9a-f-]{36})", output)
    return flow_run_id


@contextmanager
def worker(env: dict[str, str], log: Path) -> Iterator[None]:
    """`prefect worker start --pool rekap` in the background, polling every second, for the whole test."""
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            ["prefect", "worker", "start", "--pool", "rekap"],
            cwd=REPO, env={**env, "PREFECT_WORKER_QUERY_SECONDS": "1"},
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        yield
    finally:
        stop(proc)


def finished(client: Any, flow_run_id: str, timeout: float = 300) -> Any:
    """The flow run's final state, once it has one."""
    deadline = time.monotonic() + timeout
    while True:
        state = client.read_flow_run(flow_run_id).state
        if state is not None and state.is_final():
            return state
        assert time.monotonic() < deadline, f"flow run {flow_run_id} still {state} after {timeout} s"
        time.sleep(1)


def query(warehouse: Path, sql: str, *params: object) -> list[tuple]:
    con = connect(warehouse, read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_deploy_trigger_and_late_file(deployed, tmp_path: Path) -> None:
    from prefect.blocks.system import Secret
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.variables import Variable

    env, log = deployed
    source, keluaran = tmp_path / "berkas", tmp_path / "keluaran"
    for q in (1, 2):
        shutil.copytree(SAMPLE_DIR / f"tw{q}", source / f"tw{q}")
    (source / "tw1" / LATE).unlink()
    warehouse = keluaran / "gudang-ke.duckdb"

    with (
        receivers.webhook() as hook,
        temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}),
        get_client(sync_client=True) as client,
        ExitStack() as stack,
    ):
        # The operator's settings (docs/operasi.md), read by every run at its start.
        Variable.set("rekap_warehouse", str(warehouse))
        Variable.set("rekap_out", str(keluaran / "laporan"))
        Variable.set("rekap_daftar_opd", str(SAMPLE_DIR / "daftar_opd.csv"))
        Secret(value=hook.url).save("rekap-webhook-url")
        stack.enter_context(worker(env, log))

        # The pitfall of docs/operasi.md: unquoted, 36.02 is a number and the schema refuses it.
        refused = run("prefect deployment run 'rekap-triwulan/manual' -p pemda=36.02", env, log, fails=True)
        quoted = "Validation failed for field 'pemda'"  # as docs/operasi.md quotes it for the operator
        assert quoted in refused and quoted in (REPO / "docs" / "operasi.md").read_text(encoding="utf-8")

        # TW II, with one TW I file still missing
        first = trigger(env, log, source)
        assert finished(client, first).is_completed()
        artifacts = client.read_artifacts(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[first])))
        assert "ringkasan-36-02" in {a.key for a in artifacts}

        assert query(warehouse, "SELECT count(*) FROM core.submission WHERE run_id = ?", first) == [(35,)]
        (opd, realisasi) = query(
            warehouse,
            "SELECT count(*), sum(realisasi_kumulatif) FROM mart.rekap_opd "
            "WHERE kode_pemda = '36.02' AND tahun = 2024 AND triwulan = 2 AND status = 'diterima'",
        )[0]
        assert opd == 17 and realisasi > 0
        tw1 = "SELECT status FROM mart.rekap_opd WHERE triwulan = 1 AND kode_skpd = ?"
        assert query(warehouse, tw1, PARIWISATA) == [("belum menyampaikan",)]
        for suffix in ("xlsx", "html"):
            assert (keluaran / "laporan" / f"laporan-ke_36.02_2024_tw2.{suffix}").stat().st_size > 0

        (message,) = hook.wait(1)
        assert message["status"] == "selesai-dengan-catatan"
        assert [o["kode_skpd"] for o in message["opd_belum_menyampaikan"]] == [LINGKUNGAN_HIDUP]
        assert message["run"]["id"] == first

        # The late TW I file arrives; the steward triggers again and TW I is recomputed.
        shutil.copy(SAMPLE_DIR / "tw1" / LATE, source / "tw1" / LATE)
        second = trigger(env, log, source)
        assert finished(client, second).is_completed()
        assert len(hook.wait(2)) == 2  # TW II still lacks one OPD (the hook may end just after the state)

    late = query(
        warehouse, "SELECT triwulan, status, run_id FROM core.submission WHERE nama_berkas = ?", LATE
    )
    assert late == [(1, "diterima", second)]
    assert query(warehouse, tw1, PARIWISATA) == [("diterima",)]


def test_the_operators_first_run_on_the_sample_and_a_failed_run_that_says_why(
    deployed, tmp_path: Path
) -> None:
    """docs/operasi.md's first run, its commands as written: the Variables point at the sample, the manual
    deployment runs TW III under --watch and completes, with its report. Then a run whose source does not
    exist: --watch shows the reason in one line, and so does the state's message."""
    env, log = deployed
    keluaran = tmp_path / "keluaran"
    run(f"prefect variable set rekap_warehouse {keluaran / 'gudang.duckdb'} --overwrite", env, log)
    run(f"prefect variable set rekap_out {keluaran / 'laporan'} --overwrite", env, log)
    (block,) = [b for b in shell_blocks("docs/operasi.md") if b.mark == "server-contoh"]
    with worker(env, log):
        outputs = [run(command, env, log, timeout=300) for command in block.commands]
        assert "Flow run finished successfully" in outputs[-1]
        failed = run(
            "prefect deployment run 'rekap-triwulan/manual' -p tahun=2024 -p triwulan=3 "
            "-p source=/tidak/ada --watch",
            env, log, timeout=300, fails=True,
        )  # fmt: skip
    assert "Rekap GAGAL: Folder sumber tidak ditemukan: /tidak/ada" in failed
    (flow_run_id,) = re.findall(r"UUID: ([0-9a-f-]{36})", failed)
    inspected = run(f"prefect flow-run inspect {flow_run_id}", env, log)
    assert "message='Folder sumber tidak ditemukan: /tidak/ada'" in inspected
    for suffix in ("xlsx", "html", "pdf"):
        assert (keluaran / "laporan" / f"laporan-ke_36.02_2024_tw3.{suffix}").stat().st_size > 0
    assert query(keluaran / "gudang.duckdb", "SELECT count(*) FROM core.submission") == [(54,)]
