"""The quarterly run, step by step: pull, read and validate, load and roll up, the reports and letters; the
notifications are the flow's hooks."""

from __future__ import annotations

from prefect import Flow, flow, unmapped
from prefect.runtime import flow_run

from rekap import runtime
from rekap.contract.errors import RunError
from rekap.load.load import new_run_id
from rekap.load.summary import RunSummary
from rekap.parameters import run_parameters
from rekap.report import notify
from rekap.settings import raw_dir_for
from tasks.triwulan import check_submissions, load_warehouse, publish_reports, pull_submissions, run_failed


@flow(
    name="rekap-triwulan",
    log_prints=True,
    on_completion=[notify.on_completion],
    on_failure=[notify.on_failure],
    on_crashed=[notify.on_failure],
)
def rekap_triwulan(
    source: str | None = None,
    tahun: int | None = None,
    triwulan: int | None = None,
    pemda: str | None = None,
    daftar_opd: str | None = None,
    warehouse: str | None = None,
    out: str | None = None,
    batch: int | None = None,
    baca_ulang: list[str] | None = None,
) -> RunSummary:
    """Recap one quarter: every new file under `source` for `tahun` up to `triwulan` (default: the quarter
    that just ended), into the warehouse and the report. Empty parameters come from the settings
    (`REKAP_*` environment variables or Prefect Variables, see docs/operasi.md).

    Args:
        source: Where the OPD files are: a folder, an http(s):// listing page or index file, or
            s3://bucket/prefix (default: REKAP_SOURCE).
        tahun: Tahun anggaran, e.g. 2024 (empty: the year of the quarter that just ended).
        triwulan: Triwulan 1-4 (empty: the quarter that just ended, Asia/Jakarta).
        pemda: Kode pemda, e.g. "36.02" (default: REKAP_PEMDA; empty: every pemda in the files).
        daftar_opd: CSV of the OPDs expected to report (default: REKAP_DAFTAR_OPD).
        warehouse: The warehouse file (default: REKAP_WAREHOUSE).
        out: Folder of the reports (default: REKAP_OUT).
        batch: Files per read and validate task, for a Dask task runner (`on_dask`) to spread over its
            workers (empty: one task per step, using every core of this machine).
        baca_ulang: Hashes (or their first 8+ characters) of files the warehouse has recorded, to read
            again on purpose, e.g. after a limit was raised (empty: none).
    """
    try:
        p = run_parameters(source, tahun, triwulan, pemda, daftar_opd, warehouse, out, batch, baca_ulang)
        run_id = flow_run.get_id() or new_run_id()
        with runtime.quarter(p.warehouse) as machine:
            pulled = pull_submissions(
                p.source, p.warehouse, raw_dir_for(p.warehouse), [p.daftar_opd] if p.daftar_opd else [],
                p.baca_ulang,
            )  # fmt: skip
            checked = check_submissions.map(
                runtime.batches(pulled.incoming, p.batch), unmapped(p.tahun), unmapped(p.triwulan),
                unmapped(p.pemda),
            )  # fmt: skip
            summary = load_warehouse(checked, pulled, p.warehouse, p.daftar_opd, run_id, machine.working_copy)
            return publish_reports(summary, p.warehouse, p.out)
    except RunError as exc:
        return run_failed(exc)


def on_dask(address: str | None = None, **cluster_kwargs: object) -> Flow:
    """`rekap-triwulan` with its read and validate batches on Dask: the scheduler at `address`
    (e.g. tcp://10.0.0.5:8786), else a temporary local cluster made with `cluster_kwargs`. Run it with
    `batch` set; loading stays in the flow's process, the warehouse's one writer. Needs the `dask` extra."""
    from prefect_dask import DaskTaskRunner

    runner = DaskTaskRunner(address=address) if address else DaskTaskRunner(cluster_kwargs=cluster_kwargs)
    return rekap_triwulan.with_options(task_runner=runner)
