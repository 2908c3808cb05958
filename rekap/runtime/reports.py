"""Every pemda's report and letters of a run: a pool of forked processes for a run of many pemda, else in
this process."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb

from rekap.contract.tables import Report
from rekap.report.build import build_report, write_report
from rekap.report.letters import write_letters
from rekap.settings import worker_count
from rekap.warehouse.store import connect

# From this many pemda a run writes their reports in parallel processes (a national or provincial run);
# below, one process is quicker than starting a pool.
PARALLEL_REPORTS_FROM = 4

Written = tuple[Report, list[Path], list[Path]]  # a report, its files, its letters


def write_reports(
    warehouse: Path, pemda: list[str], tahun: int, triwulan: int, out_dir: Path, run_id: str | None = None
) -> Iterator[Written]:
    """The report files (workbook, page, PDF) and letters of every pemda of a run, from the published
    warehouse; yields, in the order of `pemda` and as soon as each is written, (report, files, letters)."""
    if len(pemda) >= PARALLEL_REPORTS_FROM:
        return write_reports_in_parallel(warehouse, pemda, tahun, triwulan, out_dir, run_id)
    return _write_reports_here(warehouse, pemda, tahun, triwulan, out_dir, run_id)


def _write_reports_here(
    warehouse: Path, pemda: list[str], tahun: int, triwulan: int, out_dir: Path, run_id: str | None
) -> Iterator[Written]:
    con = connect(warehouse, read_only=True)
    try:
        for kode_pemda in pemda:
            report = build_report(con, kode_pemda, tahun, triwulan)
            paths = write_report(report, out_dir)
            yield report, paths, write_letters(con, kode_pemda, tahun, triwulan, out_dir, run_id)
    finally:
        con.close()


_published: duckdb.DuckDBPyConnection | None = None  # a report worker's own read-only connection


def _open_published(warehouse: Path) -> None:
    global _published
    _published = connect(warehouse, read_only=True)


def _write_pemda(args: tuple[str, int, int, Path, str | None]) -> Written:
    kode_pemda, tahun, triwulan, out_dir, run_id = args
    assert _published is not None, "a report worker opens the warehouse first"
    report = build_report(_published, kode_pemda, tahun, triwulan)
    paths = write_report(report, out_dir)
    return report, paths, write_letters(_published, kode_pemda, tahun, triwulan, out_dir, run_id)


def write_reports_in_parallel(
    warehouse: Path,
    pemda: list[str],
    tahun: int,
    triwulan: int,
    out_dir: Path,
    run_id: str | None = None,
    workers: int | None = None,
) -> Iterator[Written]:
    """The reports and letters of every pemda, written by `workers` forked processes (default: every
    core), each with its own read-only connection to the published warehouse; yields them in the order
    of `pemda` as soon as each is written.

    The caller must not hold the warehouse open meanwhile: a forked process would find DuckDB's instance
    of that file in its copy of memory, without the threads that run it.
    """
    workers = worker_count(workers)
    fork = multiprocessing.get_context("fork")
    jobs = [(kode_pemda, tahun, triwulan, out_dir, run_id) for kode_pemda in pemda]
    with ProcessPoolExecutor(workers, fork, initializer=_open_published, initargs=(warehouse,)) as pool:
        yield from pool.map(_write_pemda, jobs)
