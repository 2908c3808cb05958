"""Every pemda's report and letters of a run, those whose inputs changed since they were written: a pool of
forked processes for a run of many pemda, else in this process."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from rekap.contract.tables import Report
from rekap.report.build import build_report, write_report
from rekap.report.letters import write_letters
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
    report: Report | None  # None: the report files were current, not written again
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


_Result = tuple[Report | None, list[Path], list[Path]]  # the report if built, its files, its letters


def _write(con: duckdb.DuckDBPyConnection, job: _Job) -> _Result:
    report, files, letters = None, [], []
    if job.report:
        report = build_report(con, job.kode_pemda, job.tahun, job.triwulan)
        files = write_report(report, job.out_dir)
    if job.letters:
        letters = write_letters(con, job.kode_pemda, job.tahun, job.triwulan, job.out_dir, job.run_id)
    return report, files, letters


def _write_here(warehouse: Path, jobs: list[_Job]) -> Iterator[_Result]:
    con = connect(warehouse, read_only=True)
    try:
        for job in jobs:
            yield _write(con, job)
    finally:
        con.close()


_published: duckdb.DuckDBPyConnection | None = None  # a report worker's own read-only connection


def _open_published(warehouse: Path) -> None:
    global _published
    _published = connect(warehouse, read_only=True)


def _write_in_worker(job: _Job) -> _Result:
    assert _published is not None, "a report worker opens the warehouse first"
    return _write(_published, job)


def write_reports_in_parallel(
    warehouse: Path, jobs: list[_Job], workers: int | None = None
) -> Iterator[_Result]:
    """The reports and letters of `jobs`, written by `workers` forked processes (default: every core),
    each with its own read-only connection to the published warehouse; yields them in the order of `jobs`
    as soon as each is written.

    The caller must not hold the warehouse open meanwhile: a forked process would find DuckDB's instance
    of that file in its copy of memory, without the threads that run it.
    """
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        worker_count(workers), fork, initializer=_open_published, initargs=(warehouse,)
    ) as pool:
        yield from pool.map(_write_in_worker, jobs)
