"""prefect.yaml as a steward and an operator rely on it: the schedule fires once a quarter in the month
after it ends, at 07:00 WIB, and reports the quarter that just ended; every deployment waits its turn
for the warehouse; the manual form explains its fields; a backfill runs its quarters in order."""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from rekap.contract.calendar import in_order, resolve_period
from rekap.settings import SAMPLE_DIR
from rekap.warehouse.store import connect

REPO = Path(__file__).resolve().parents[1]
JAKARTA = ZoneInfo("Asia/Jakarta")
CONFIG = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))


def deployment(flow_name: str, name: str) -> dict:
    for d in CONFIG["deployments"]:
        module, function = d["entrypoint"].split(":")
        flow = getattr(importlib.import_module(module.removesuffix(".py").replace("/", ".")), function)
        if flow.name == flow_name and d["name"] == name:
            return d
    raise KeyError(f"{flow_name}/{name}")


def test_the_deployments_exist_and_share_one_queue_and_limit() -> None:
    names = {(d["entrypoint"], d["name"]) for d in CONFIG["deployments"]}
    assert names == {
        ("flows/triwulan.py:rekap_triwulan", "terjadwal"),
        ("flows/triwulan.py:rekap_triwulan", "manual"),
        ("flows/backfill.py:rekap_backfill", "manual"),
    }
    for d in CONFIG["deployments"]:
        assert d["work_pool"] == {"name": "rekap", "work_queue_name": "gudang-ke"}
        assert d["concurrency_limit"] == {"limit": 1, "collision_strategy": "ENQUEUE"}
    pull = CONFIG["pull"][0]["prefect.deployments.steps.set_working_directory"]
    build = CONFIG["build"][0]["prefect.deployments.steps.run_shell_script"]
    assert pull["directory"] == "{{ " + build["id"] + ".stdout }}"


def test_schedule_fires_in_the_month_after_each_quarter_at_seven_wib() -> None:
    from prefect.server.schemas.schedules import CronSchedule

    (spec,) = deployment("rekap-triwulan", "terjadwal")["schedules"]
    assert spec["timezone"] == "Asia/Jakarta"
    assert deployment("rekap-triwulan", "terjadwal")["parameters"] == {}
    schedule = CronSchedule(cron=spec["cron"], timezone=spec["timezone"])
    start = dt.datetime(2025, 1, 1, tzinfo=JAKARTA)
    runs = asyncio.run(schedule.get_dates(n=10, start=start, end=start.replace(year=2026)))
    local = [r.astimezone(JAKARTA) for r in runs]
    assert [(t.month, t.day, t.hour, t.minute) for t in local] == [
        (1, 10, 7, 0),
        (4, 10, 7, 0),
        (7, 10, 7, 0),
        (10, 10, 7, 0),
    ]
    assert all(r.astimezone(dt.UTC).hour == 0 for r in runs)  # 07:00 WIB is midnight UTC
    # with no parameters, each run reports the quarter that just ended
    assert [resolve_period(None, None, today=t.date()) for t in local] == [
        (2024, 4),
        (2025, 1),
        (2025, 2),
        (2025, 3),
    ]


@pytest.mark.parametrize(
    ("flow_module", "function"), [("flows.triwulan", "rekap_triwulan"), ("flows.backfill", "rekap_backfill")]
)
def test_every_parameter_is_explained_on_the_form(flow_module: str, function: str) -> None:
    from prefect.utilities.callables import parameter_schema

    flow = getattr(importlib.import_module(flow_module), function)
    schema = parameter_schema(flow).model_dump()
    for name, prop in schema["properties"].items():
        assert prop.get("description"), name


def test_backfill_order() -> None:
    assert in_order([(2024, 3), (2024, 1), (2023, 4), (2024, 1)]) == [(2023, 4), (2024, 1), (2024, 3)]
    with pytest.raises(ValueError, match="triwulan"):
        in_order([(2024, 5)])


def test_backfill_runs_each_quarter_as_a_subflow_in_order(prefect_api, tmp_path: Path) -> None:
    from flows.backfill import rekap_backfill

    source = tmp_path / "berkas"
    for q in (1, 2):
        (source / f"tw{q}").mkdir(parents=True)
        for path in sorted((SAMPLE_DIR / f"tw{q}").glob("36.02_*Dinas-Sosial.xlsx")):
            shutil.copy(path, source / f"tw{q}" / path.name)
    warehouse = tmp_path / "gudang.duckdb"
    summaries = rekap_backfill(
        periode=[{"tahun": 2024, "triwulan": 2}, {"tahun": 2024, "triwulan": 1}],
        source=str(source), pemda="36.02", warehouse=str(warehouse), out=str(tmp_path / "laporan"),
    )  # fmt: skip
    assert [(s.tahun, s.triwulan, s.accepted) for s in summaries] == [(2024, 1, 1), (2024, 2, 1)]
    con = connect(warehouse, read_only=True)
    try:
        runs = con.execute("SELECT triwulan FROM core.run ORDER BY started_at").fetchall()
        loaded = con.execute("SELECT triwulan, run_id FROM core.submission ORDER BY triwulan").fetchall()
    finally:
        con.close()
    assert runs == [(1,), (2,)]
    assert [(q, r) for q, r in loaded] == [(1, summaries[0].run_id), (2, summaries[1].run_id)]
    for s in summaries:
        assert Path(s.reports["36.02"][0]).exists()


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"source": "tidak-ada"}, "Folder sumber tidak ditemukan: tidak-ada"),
        ({"pemda": "36.2"}, "Kode pemda tidak sah: '36.2'"),
        ({"tahun": 1999, "triwulan": 1}, "Tahun 1999 di luar rentang 2020-2035."),
        ({"batch": 0}, "batch 0 tidak sah"),
        ({"baca_ulang": ["../../etc"]}, "Hash berkas tidak sah"),
    ],
)
def test_a_run_that_cannot_go_on_fails_with_one_line_as_its_state_message(
    prefect_api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parameters: dict, message: str
) -> None:
    """What the operator sees in the UI, `prefect flow-run inspect` and the notification: the reason in
    one Indonesian line, as the message of the Failed state, before anything is recorded."""
    from flows.triwulan import rekap_triwulan

    monkeypatch.chdir(tmp_path)
    defaults = {"source": str(SAMPLE_DIR / "tw1"), "tahun": 2024, "triwulan": 1, "warehouse": "g.duckdb"}
    state = rekap_triwulan(**{**defaults, **parameters}, out="laporan", return_state=True)
    assert state.is_failed()
    assert state.message.startswith(message) and "\n" not in state.message
    assert not (tmp_path / "g.duckdb").exists() and not list((tmp_path / "laporan").rglob("*"))
