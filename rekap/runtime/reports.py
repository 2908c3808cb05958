"""Every pemda's report and letters of a run, those whose inputs changed since they were written: a pool of
forked processes for a run of many pemda, else in this process."""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from rekap.contract.tables import Report
from rekap.report.artifacts import SHOWN_TABLES
from rekap.report.build import BATCH, build_reports, write_report
from rekap.report.letters import build_letters_of, build_summaries, write_built_letters
from rekap.report.sidik import Manifest, fingerprints
from rekap.settings import worker_count
from rekap.warehouse.store import connect

# From this many reports to write a run writes them in parallel processes (a national or provincial run);
# below, one process is quicker than starting a pool.
PARALLEL_REPORTS_FROM = 4


@dataclass(frozen=True)
class Written:
    """One pemda's report files and letters after a run: written by it, or found current."""

    kode_pemda: str
    # The report written, with only what the run shows of it on the server (`artifacts.SHOWN_TABLES`): the
    # whole of it came back from a report worker in a pickle (86 KB on the 300-pemda clone, 2.9 ms of CPU
    # a report to send and take). None: the report files were current, not written again.
    report: Report | None
    files: list[Path]
    letters: list[Path]
    letters_written: bool


@dataclass(frozen=True)
class _Job:
    kode_pemda: str
    tahun: int
    triwulan: int
    out_dir: Path
    run_id: str | None
    report: bool  # write the report files
    letters: bool  # write the letters and the steward's list


def write_reports(
    warehouse: Path, pemda: list[str], tahun: int, triwulan: int, out_dir: Path, run_id: str | None = None
) -> Iterator[Written]:
    """The report files (workbook, page, PDF) and letters of every pemda of a run, from the published
    warehouse, written again only where their inputs changed (`rekap.report.sidik`); yields, in the order
    of `pemda` and as soon as each is written or found current, what the report folder holds for it."""
    manifest = Manifest.load(out_dir, tahun, triwulan)
    con = connect(warehouse, read_only=True)
    try:
        sidik = fingerprints(con, pemda, tahun, triwulan, run_id)
    finally:
        con.close()  # before the pool forks (write_reports_in_parallel)
    current = {
        kode: (manifest.current("laporan", kode, sidik[kode].laporan),
               manifest.current("surat", kode, sidik[kode].surat))
        for kode in pemda
    }  # fmt: skip
    jobs = [
        _Job(kode, tahun, triwulan, out_dir, run_id, files is None, letters is None)
        for kode, (files, letters) in current.items()
        if files is None or letters is None
    ]
    writing = _write_here if len(jobs) < PARALLEL_REPORTS_FROM else write_reports_in_parallel
    done = writing(warehouse, jobs)
    try:
        for kode in pemda:
            files, letters = current[kode]
            if files is not None and letters is not None:
                yield Written(kode, None, files, letters, False)
                continue
            report, new_files, new_letters = next(done)
            if files is None:
                manifest.record("laporan", kode, sidik[kode].laporan, new_files)
            if letters is None:
                manifest.record("surat", kode, sidik[kode].surat, new_letters)
            yield Written(
                kode,
                report,
                new_files if files is None else files,
                new_letters if letters is None else letters,
                letters is None,
            )
    finally:
        done.close()
        manifest.save()


# The report if built (as in `Written`), its files, its letters.
_Result = tuple[Report | None, list[Path], list[Path]]


def _write(con: duckdb.DuckDBPyConnection, jobs: list[_Job]) -> list[_Result]:
    """Write the reports and letters of a part of a run's jobs, each query run once for all of them."""
    if not jobs:
        return []
    first = jobs[0]
    tahun, triwulan, out_dir, run_id = first.tahun, first.triwulan, first.out_dir, first.run_id
    reports = build_reports(con, [j.kode_pemda for j in jobs if j.report], tahun, triwulan)
    lettered = [j.kode_pemda for j in jobs if j.letters]
    letters = build_letters_of(con, lettered, tahun, triwulan, run_id) if lettered else {}
    summaries = build_summaries(con, tahun, triwulan, letters, run_id) if lettered else {}
    written = []
    for job in jobs:
        report = next(reports) if job.report else None
        files = write_report(report, out_dir) if report is not None else []
        written.append(
            (
                report.only(SHOWN_TABLES) if report is not None else None,
                files,
                write_built_letters(summaries[job.kode_pemda], out_dir) if job.letters else [],
            )
        )
    return written


def _parts(jobs: list[_Job], size: int) -> list[list[_Job]]:
    return [jobs[i : i + size] for i in range(0, len(jobs), size)]


def _write_here(warehouse: Path, jobs: list[_Job]) -> Iterator[_Result]:
    con = connect(warehouse, read_only=True)
    try:
        for part in _parts(jobs, BATCH):
            yield from _write(con, part)
    finally:
        con.close()


_published: duckdb.DuckDBPyConnection | None = None  # a report worker's own read-only connection


# A report worker's garbage collector runs every 10,000 allocations net instead of Python's 700: drawing a
# report makes objects by the hundred thousand, short-lived, and at 700 the collector ran 57 times a report
# (76 of ~390 ms of CPU a report; 20 ms at 10,000, the peak memory the same over 120 reports).
REPORT_WORKER_GC_THRESHOLD = (10_000, 10, 10)


def _open_published(warehouse: Path) -> None:
    global _published
    gc.set_threshold(*REPORT_WORKER_GC_THRESHOLD)
    _published = connect(warehouse, read_only=True)


def _write_in_worker(jobs: list[_Job]) -> list[_Result]:
    assert _published is not None, "a report worker opens the warehouse first"
    return _write(_published, jobs)


def write_reports_in_parallel(
    warehouse: Path, jobs: list[_Job], workers: int | None = None
) -> Iterator[_Result]:
    """The reports and letters of `jobs`, written by `workers` forked processes (default: every core),
    each with its own read-only connection to the published warehouse; yields them in the order of `jobs`
    as soon as each part of them is written.

    The caller must not hold the warehouse open meanwhile: a forked process would find DuckDB's instance
    of that file in its copy of memory, without the threads that run it.
    """
    workers = worker_count(workers)
    # Parts of up to BATCH pemda (each query runs once for a part), four a worker or more to share the work.
    parts = _parts(jobs, max(1, min(BATCH, -(-len(jobs) // (4 * workers)))))
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, fork, initializer=_open_published, initargs=(warehouse,)) as pool:
        for written in pool.map(_write_in_worker, parts):
            yield from written
