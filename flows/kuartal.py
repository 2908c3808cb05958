"""The quarterly run, step by step: pull, parse, validate, load and roll up, publish the report."""

from __future__ import annotations

from pathlib import Path

from prefect import flow
from prefect.runtime import flow_run

from rekap.periode import resolve_period
from rekap.pipeline import RunSummary, new_run_id
from rekap.settings import default_out_dir, default_warehouse, raw_dir_for
from tasks.kuartal import (
    load_warehouse,
    parse_submissions,
    publish_reports,
    pull_submissions,
    validate_submissions,
)


@flow(name="rekap-triwulan", log_prints=True)
def rekap_triwulan(
    source: str = "submissions",
    tahun: int | None = None,
    triwulan: int | None = None,
    pemda: str | None = None,
    daftar_opd: str | None = None,
    warehouse: str | None = None,
    out: str | None = None,
) -> RunSummary:
    """Recap one quarter: every new file under `source` for `tahun` up to `triwulan` (default: the quarter
    that just ended), into the warehouse and the report."""
    tahun, triwulan = resolve_period(tahun, triwulan)
    warehouse_path = Path(warehouse) if warehouse else default_warehouse()
    out_dir = Path(out) if out else default_out_dir()
    daftar = Path(daftar_opd) if daftar_opd else None
    run_id = flow_run.get_id() or new_run_id()

    incoming = pull_submissions(
        source, warehouse_path, raw_dir_for(warehouse_path), [daftar] if daftar else []
    )
    parsed = parse_submissions(incoming)
    checked = validate_submissions(parsed, incoming, tahun, triwulan, pemda)
    summary = load_warehouse(checked, warehouse_path, daftar, run_id)
    return publish_reports(summary, warehouse_path, out_dir)
