"""The quarter past one machine: the real flow reads and validates the bundled sample in batches on a
Dask cluster of two worker processes (`flows.triwulan.on_dask`), loads it with its one writer, and the
warehouse it publishes holds exactly what the single-machine run of the plain functions gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import distributed
import prefect_dask  # noqa: F401 (declared in the `dask` extra: a broken install fails here)
import pytest

from rekap.intake.folder import pull_local
from rekap.load.load import load_and_roll_up, new_run_id
from rekap.settings import SAMPLE_DIR
from rekap.validation.batch import parse_all, validate_run
from rekap.warehouse.store import connect, seen_hashes

# Everything the run derives, less what names the run itself (its id, its clock).
TABLES = {
    "mart.realisasi_rinci": "*",
    "mart.rekap_opd": "*",
    "mart.rekap_strategi": "*",
    "core.submission": "* EXCLUDE (run_id, received_at, source_path)",
    "core.realisasi": "* EXCLUDE (source_path)",
    "core.validation_issue": "*",
    "core.baris_ditolak": "*",
}


def run_quarter(source: Path, warehouse: Path, triwulan: int, daftar: Path) -> None:
    """The single-machine run: the plain functions the flow's tasks call, in one batch."""
    seen = seen_hashes(warehouse)
    incoming = pull_local(source, warehouse.parent / "mentah", seen, exclude={daftar.resolve()})
    parsed = parse_all(incoming)
    checked = validate_run(parsed, incoming, 2024, triwulan, "36.02")
    load_and_roll_up(checked, warehouse, daftar, new_run_id())


def contents(warehouse: Path) -> dict[str, list[tuple]]:
    con = connect(warehouse, read_only=True)
    try:
        return {t: con.table(t).project(c).order("ALL").fetchall() for t, c in TABLES.items()}
    finally:
        con.close()


def _warm() -> None:
    import great_expectations  # noqa: F401  (seconds to import: pay it while the test does other work)

    import tasks.triwulan  # noqa: F401


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes, as two machines would be (no dashboard, nothing to bind),
    importing what the tasks need in the background."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        distributed.Client(local) as client,
    ):
        warming = [client.submit(_warm, pure=False, workers=[w]) for w in client.scheduler_info()["workers"]]
        yield local
        del warming


def test_batches_on_dask_give_the_single_machine_warehouse(prefect_api, cluster, tmp_path):
    from flows.triwulan import on_dask

    # TW I and TW II of the sample in one TW II run: the TW I files come in late, so the run loads two
    # quarters, the second checked against the first, from batches read on both workers.
    source, daftar = tmp_path / "kiriman", SAMPLE_DIR / "daftar_opd.csv"
    for folder in ("tw1", "tw2"):
        shutil.copytree(SAMPLE_DIR / folder, source / folder)
    run_quarter(source, tmp_path / "satu" / "gudang.duckdb", 2, daftar)
    dask = tmp_path / "dask"
    summary = on_dask(cluster.scheduler_address)(
        source=str(source), tahun=2024, triwulan=2, pemda="36.02", daftar_opd=str(daftar),
        warehouse=str(dask / "gudang.duckdb"), out=str(dask / "laporan"), batch=8,
    )  # fmt: skip

    assert summary.files_new > 8  # more than one batch, so the work was spread
    on_dask_tables = contents(dask / "gudang.duckdb")
    assert on_dask_tables == contents(tmp_path / "satu" / "gudang.duckdb")
    assert len(on_dask_tables["mart.rekap_opd"]) == 2 * 18
    assert (dask / "laporan" / "laporan-ke_36.02_2024_tw2.xlsx").exists()
