"""Measure a national quarter on this machine (docs/skala.md has the numbers and the design).

    python -m bench.run --scale 1.0 [--workers N] [--out /tmp/rekap-bench] [--skip cli,incremental]

On the data of `bench.generate` (generated first when missing): the floor (every cell of every TW II file
read with python-calamine in one process, best of three), TW I loaded as history, then TW II as a full
run with the wall time of each stage (pull; read + validate, one pool whose workers read and validate
their batches, with the process time of each step apart; load; roll up; report), rows per second, peak
memory of the process tree and the ratio to the floor; then one OPD's resubmission rerun against the full
run; then one pemda's quarter through `rekap run` in a fresh process, start-up included; and each
pemda's report.
The numbers are printed as a table and kept in `<out>/hasil-<scale>.json`.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench.generate import DEFAULT_OUT, TAHUN, generate, pemda_for_scale, resubmission

REPO = Path(__file__).resolve().parents[1]


# --- measuring ---------------------------------------------------------------------------------------


class PeakMemory:
    """Peak memory of this process and its children, sampled in a thread (psutil): the sum of their PSS
    (shared pages counted once, split between the processes sharing them: what the tree really uses) and
    of their RSS (shared pages counted in every process: an upper bound); beside the kernel's own
    high-water marks (getrusage: this process, and the largest waited-for child). The same samples record
    each process's CPU time, of the tree and of the trees `also` names (`cpu_between`)."""

    def __init__(self, interval: float = 0.2, root: int | None = None, also: tuple[int, ...] = ()):
        self.interval = interval
        self.root = root  # the tree's root process (default: this one)
        self.also = also  # other trees whose CPU is recorded, not their memory (a running Prefect server)
        self.peak_tree = 0  # PSS
        self.peak_rss = 0
        # Every sample's time (time.time()) and the user + system CPU seconds of each process then; each
        # process's parent and command line (`lineage`, `cpu_between`).
        self.cpu: list[tuple[float, dict[int, float]]] = []
        self.processes: dict[int, tuple[int, str]] = {}
        self.earlier: set[int] = set()  # the processes of `also`, whose CPU counts from their first sample
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _sample(self) -> None:
        import psutil

        others = [p for pid in self.also for p in _tree(pid)]
        self._record_cpu(others)  # what they had spent before: not this measure's
        self.earlier = set(self.cpu[0][1])
        while not self._stop.is_set():
            pss = rss = 0
            tree = _tree(self.root)
            if not tree:  # the root has ended
                return
            for proc in tree:
                with contextlib.suppress(psutil.Error):
                    info = proc.memory_full_info()
                    pss, rss = pss + info.pss, rss + info.rss
            self.peak_tree, self.peak_rss = max(self.peak_tree, pss), max(self.peak_rss, rss)
            self._record_cpu(tree + others)
            self._stop.wait(self.interval)

    def _record_cpu(self, processes: list) -> None:
        import psutil

        now, seconds = time.time(), {}
        for proc in processes:
            with contextlib.suppress(psutil.Error):
                times = proc.cpu_times()
                seconds[proc.pid] = times.user + times.system
                if proc.pid not in self.processes:
                    self.processes[proc.pid] = (proc.ppid(), " ".join(proc.cmdline()))
        self.cpu.append((now, seconds))

    def lineage(self, pid: int) -> list[str]:
        """The command lines of a sampled process and of its sampled ancestors, innermost last."""
        lines = []
        while pid in self.processes:
            pid, command = self.processes[pid]
            lines.insert(0, command)
        return lines

    def cpu_between(self, start: float, end: float) -> dict[int, float]:
        """CPU seconds each process spent between two times (time.time()), from the samples around them:
        a process's last sample before `end` less its last before `start` (0 before its first, or its first
        for the processes of `also`). What a process did after its last sample, up to one interval, is not
        seen."""

        if not self.cpu:  # the tree had ended before the first sample
            return {}

        def at(t: float) -> dict[int, float]:
            seen = {pid: seconds for pid, seconds in self.cpu[0][1].items() if pid in self.earlier}
            for when, seconds in self.cpu:
                if when > t:
                    break
                seen |= seconds
            return seen

        before, after = at(start), at(end)
        return {pid: after[pid] - before.get(pid, 0.0) for pid in after if after[pid] > before.get(pid, 0.0)}

    def __enter__(self) -> PeakMemory:
        self.peak_tree = self.peak_rss = 0
        self.cpu, self.processes, self.earlier = [], {}, set()
        self._stop.clear()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join()

    @staticmethod
    def maxrss() -> tuple[int, int]:
        """(this process, largest child) high-water RSS in bytes since start."""
        return (
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
        )


def _tree(pid: int | None) -> list:
    """A process (None: this one) and its descendants (psutil), none if it has ended."""
    import psutil

    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


@dataclass
class Stages:
    """Wall seconds by stage, in order."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


def quarter_files(folder: Path, q: int) -> list[Path]:
    """Every submitted file of one quarter's folder."""
    return sorted(p for p in (folder / f"tw{q}").rglob("*") if p.is_file())


def read_every_cell(path: Path) -> int:
    """The floor's unit of work: every cell of every sheet (csv: every field), nothing else."""
    data = path.read_bytes()
    if path.suffix == ".csv":
        text = data.decode("utf-8-sig")
        head = text[: text.find("\n")]
        delimiter = ";" if head.count(";") > head.count(",") else ","
        return sum(len(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter))
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return sum(
        len(row) for name in workbook.sheet_names for row in workbook.get_sheet_by_name(name).to_python()
    )


def floor_seconds(files: list[Path], repeat: int = 3) -> tuple[float, int]:
    """Seconds to read every cell of every file in one process, the best of `repeat` passes (as timeit
    takes: the first pass also pays for a cold file cache and imports, which no later stage does), and
    the number of cells."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        cells = sum(read_every_cell(p) for p in files)
        best = min(best, time.perf_counter() - started)
    return best, cells


# --- one quarter with the plain pipeline functions (what the flow's tasks call) ----------------------


def run_quarter(
    source: Path, warehouse: Path, daftar: Path, triwulan: int, workers: int | None, stages: Stages
) -> tuple[object, int, dict[str, float]]:
    """Pull, read and validate, load and roll up one quarter, timing each stage; (summary, rows read,
    process seconds of reading and of validating, summed over the processes that did them)."""
    from rekap import runtime
    from rekap.intake.folder import pull_local
    from rekap.load import load as loading
    from rekap.warehouse import store as gudang

    rolled = Stages()
    original_roll_up = loading.roll_up

    def timed_roll_up(con) -> None:
        with rolled.stage("roll up"):
            original_roll_up(con)

    with runtime.quarter(warehouse) as machine:  # as the flow does
        with stages.stage("pull"):
            seen = gudang.seen_hashes(warehouse)
            incoming = pull_local(source, warehouse.parent / "mentah", seen, exclude={daftar.resolve()})
        # One stage: each worker reads a batch of files and validates it (`check_files`).
        with stages.stage("read + validate"):
            checked = runtime.check_files(incoming, TAHUN, triwulan, None, workers=workers)
        loading.roll_up = timed_roll_up  # the load calls it by its module's name
        try:
            with stages.stage("load"):
                summary = loading.load_and_roll_up(
                    checked, warehouse, daftar, loading.new_run_id(), working_copy=machine.working_copy
                )
        finally:
            loading.roll_up = original_roll_up
    stages.seconds["load"] -= rolled.seconds.get("roll up", 0.0)
    stages.seconds["roll up"] = rolled.seconds.get("roll up", 0.0)
    return summary, len(checked.rows), checked.seconds


def copy_seconds(warehouse: Path) -> float:
    """What the writer's working copy costs: one copy of the published file (it is O(size))."""
    target = warehouse.with_name("salinan-ukur.duckdb")
    started = time.perf_counter()
    shutil.copyfile(warehouse, target)
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


# --- reports -----------------------------------------------------------------------------------------


def _report_one(args: tuple[str, str, int, str]) -> dict[str, float]:
    """Build and write one pemda's report from the published warehouse; seconds by part."""
    from rekap.report.build import build_report
    from rekap.report.letters import write_letters
    from rekap.report.page import render_html
    from rekap.report.pdf import render_pdf
    from rekap.report.workbook import render_workbook
    from rekap.warehouse.store import connect

    kode_pemda, warehouse, triwulan, out = args
    out_dir = Path(out) / kode_pemda  # letters are named by OPD only: one folder per pemda
    out_dir.mkdir(parents=True, exist_ok=True)
    con = connect(warehouse, read_only=True)
    try:
        t0 = time.perf_counter()
        report = build_report(con, kode_pemda, TAHUN, triwulan)
        t1 = time.perf_counter()
        render_workbook(report, out_dir / f"{report.file_stem}.xlsx")
        t2 = time.perf_counter()
        render_html(report, out_dir / f"{report.file_stem}.html")
        t3 = time.perf_counter()
        render_pdf(report, out_dir / f"{report.file_stem}.pdf")
        t4 = time.perf_counter()
        write_letters(con, kode_pemda, TAHUN, triwulan, out_dir)
        t5 = time.perf_counter()
    finally:
        con.close()
    return {"build": t1 - t0, "workbook": t2 - t1, "page": t3 - t2, "pdf": t4 - t3, "letters": t5 - t4}


def write_reports(pemda: list[str], warehouse: Path, triwulan: int, out: Path, workers: int) -> list[dict]:
    """Every pemda's report, in parallel processes (readers of the published file never block)."""
    jobs = [(p, str(warehouse), triwulan, str(out)) for p in pemda]
    if workers == 1 or len(jobs) < 4:
        return [_report_one(job) for job in jobs]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_report_one, jobs, chunksize=2))


# --- one pemda through `rekap run` ---------------------------------------------------------------------


def cli_run(data: Path, kode_pemda: str, work: Path, prefect_home: Path) -> dict[str, float]:
    """One pemda's TW II (18 files) through `rekap run` in a fresh process, as a steward runs it, with
    TW I already in its warehouse: twice, the first time in a new PREFECT_HOME (the temporary server
    creates its database), then as every later run; plus what the start-up is made of."""
    from rekap.intake.folder import pull_local
    from rekap.load.load import load_and_roll_up, new_run_id
    from rekap.runtime import check_files
    from rekap.warehouse.store import seen_hashes

    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(prefect_home, ignore_errors=True)
    base = work / "tw1" / "gudang.duckdb"
    daftar = work / "daftar_opd.csv"
    rows = [r for r in (data / "daftar_opd.csv").read_text().splitlines() if r.startswith(f"{kode_pemda},")]
    base.parent.mkdir(parents=True)
    daftar.write_text("kode_pemda,tahun,kode_skpd,nama_skpd\n" + "\n".join(rows) + "\n")
    incoming = pull_local(data / "tw1" / kode_pemda, base.parent / "mentah", seen_hashes(base))
    checked = check_files(incoming, TAHUN, 1, kode_pemda)
    load_and_roll_up(checked, base, daftar, new_run_id())

    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env |= {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env["PREFECT_HOME"] = str(prefect_home)
    parts = {
        "rekap run, new PREFECT_HOME": _timed_rekap_run(
            data, kode_pemda, daftar, base.parent, work / "satu", env
        ),
        "rekap run": _timed_rekap_run(data, kode_pemda, daftar, base.parent, work / "dua", env),
    }
    parts["rekap run, running Prefect server"] = _with_running_server(
        lambda api_env: _timed_rekap_run(data, kode_pemda, daftar, base.parent, work / "ketiga", api_env),
        env,
    )
    probes = {
        "python + import rekap.cli.main": "import rekap.cli.main",
        "import prefect + flows.triwulan": "import flows.triwulan",
        "import great_expectations": "import great_expectations",
        "empty Prefect flow, no API (temporary server)": (
            "from prefect import flow\n@flow\ndef kosong(): return 1\nkosong()"
        ),
    }
    for name, code in probes.items():
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, check=True)
        parts[name] = time.perf_counter() - started
    return parts


def _timed_rekap_run(
    data: Path, kode_pemda: str, daftar: Path, base: Path, run_dir: Path, env: dict[str, str]
) -> float:
    """Seconds of one `rekap run` of the pemda's TW II on a copy of the warehouse in `base`."""
    shutil.copytree(base, run_dir)
    rekap = [sys.executable, "-m", "rekap.cli.main", "run", "--source", str(data / "tw2" / kode_pemda),
             "--tahun", str(TAHUN), "--triwulan", "2", "--pemda", kode_pemda, "--daftar-opd", str(daftar),
             "--warehouse", str(run_dir / "gudang.duckdb"), "--out", str(run_dir / "laporan")]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(rekap, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"rekap run failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


def _with_running_server(measure, env: dict[str, str]) -> float:
    """`measure(env)` with PREFECT_API_URL pointing at a `prefect server start` on the loopback, as on a
    steward's machine or the pipeline's server (started here, and stopped after)."""
    with running_prefect_server(env) as (api_env, _):
        return measure(api_env)


@contextlib.contextmanager
def running_prefect_server(env: dict[str, str], port: int = 0) -> Iterator[tuple[dict[str, str], int]]:
    """A `prefect server start` on the loopback (on a free port unless one is given) with `env` (its
    PREFECT_HOME included), until the block ends; yields `env` with PREFECT_API_URL pointing at it, and
    the server's process id."""
    import httpx

    if not port:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    api = f"http://127.0.0.1:{port}/api"
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            time.sleep(0.5)
        else:
            raise RuntimeError(f"prefect server start did not answer at {api} (exit status {server.poll()})")
        yield env | {"PREFECT_API_URL": api}, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- the whole benchmark -------------------------------------------------------------------------------


def gib(n: float) -> str:
    return f"{n / 2**30:.2f} GiB"


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.run`."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the 552 pemda (default 1.0)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes (default: cores)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"root folder (default {DEFAULT_OUT})")
    parser.add_argument(
        "--skip",
        default="",
        help="parts to skip, comma-separated: full (and so report, incremental, catch-up), report, "
        "incremental, catch-up, cli",
    )
    parser.add_argument("--report-sample", type=int, default=0,
                        help="report only this many pemda (0: all)")  # fmt: skip
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    result: dict[str, object] = {"scale": args.scale, "workers": args.workers, "load_before": os.getloadavg()}

    path = args.out / f"hasil-{args.scale:g}.json"
    result |= {
        k: v for k, v in (json.loads(path.read_text()) if path.exists() else {}).items() if k not in result
    }

    def save() -> None:
        path.write_text(json.dumps(result, indent=2, default=str))

    started = time.perf_counter()
    data = generate(args.scale, args.out)
    manifest = json.loads((data / "manifest.json").read_text())
    result["generate_seconds"] = manifest["seconds"] if time.perf_counter() - started > 1 else "cached"
    files_tw2 = quarter_files(data, 2)
    print(
        f"data {data}: {manifest['pemda']} pemda; TW II {len(files_tw2)} files, {manifest['rows_tw2']} rows"
    )

    if "full" not in skip:
        floor, cells = floor_seconds(files_tw2)
        result |= {"floor_seconds": floor, "cells": cells}
        print(f"floor (calamine, one process, every cell of TW II, best of 3): {floor:.1f} s, {cells} cells")

        work = args.out / f"kerja-{args.scale:g}"
        shutil.rmtree(work, ignore_errors=True)
        warehouse = work / "gudang-ke.duckdb"
        history = Stages()
        run_quarter(data / "tw1", warehouse, data / "daftar_opd.csv", 1, args.workers, history)
        result["tw1_stages"] = history.seconds
        print(f"TW I (history) loaded in {history.total:.1f} s")

        result["copy_seconds_before"] = copy_seconds(warehouse)
        full = Stages()
        with PeakMemory() as memory:
            summary, rows, process = run_quarter(
                data, warehouse, data / "daftar_opd.csv", 2, args.workers, full
            )

        result |= {
            "full_stages": full.seconds,
            "full_process_seconds": process,
            "rows": rows,
            "files_new": summary.files_new,
            "accepted": summary.accepted,
            "rejected": summary.rejected,
            "peak_tree_bytes": memory.peak_tree,
            "peak_tree_rss_bytes": memory.peak_rss,
            "maxrss_self_children": PeakMemory.maxrss(),
            "warehouse_bytes": warehouse.stat().st_size,
            "copy_seconds": copy_seconds(warehouse),
        }
        whole, ingest = full.total, full.total - full.seconds["pull"]
        print(f"TW II full run: {whole:.1f} s; ingest to marts {ingest:.1f} s, {rows / ingest:,.0f} rows/s, "
              f"x{ingest / floor:.1f} the floor, peak {gib(memory.peak_tree)} (tree PSS)")  # fmt: skip

        save()
        if "report" not in skip:
            pemda = [p.kode for p in pemda_for_scale(args.scale)]
            if args.report_sample:
                pemda = pemda[:: max(1, len(pemda) // args.report_sample)][: args.report_sample]
            try:
                with full.stage("report"):
                    timings = write_reports(pemda, warehouse, 2, work / "laporan", args.workers)
            except Exception as exc:  # the report code is someone else's moving target: record, go on
                result["report_error"] = f"{type(exc).__name__}: {exc}"
                print(f"report failed: {result['report_error']}")
            else:
                result["report_stage_seconds"] = full.seconds["report"]
                result["report_pemda"] = len(pemda)
                result["report_parts"] = {
                    part: {
                        "median": statistics.median(t[part] for t in timings),
                        "max": max(t[part] for t in timings),
                    }
                    for part in timings[0]
                }
                per = [t["build"] + t["workbook"] + t["page"] for t in timings]
                result["report_workbook_page"] = {"median": statistics.median(per), "max": max(per)}
            save()

        if "incremental" not in skip:
            kode = pemda_for_scale(args.scale)[0].kode
            resubmission(data, kode)
            # A warm process, as a served deployment or a long-running worker is: GX imported once (the
            # full run imported it already, before forking its workers); an import here is shown apart,
            # and the cold start is the `rekap run` measure below.
            started = time.perf_counter()
            import great_expectations  # noqa: F401

            result["gx_import_seconds"] = time.perf_counter() - started
            again = Stages()
            with PeakMemory() as memory:
                summary, _, _ = run_quarter(data, warehouse, data / "daftar_opd.csv", 2, args.workers, again)
            result |= {"incremental_stages": again.seconds, "incremental_files": summary.files_new}
            shutil.rmtree(data / "tw2-revisi", ignore_errors=True)
            share = 100 * again.total / whole
            print(f"resubmission rerun: {again.total:.1f} s = {share:.1f} % of the full run")
            save()

        if "catch-up" not in skip:
            # A pemda's first run in the middle of the year: TW I and TW II in one run, into an empty
            # warehouse, so the cross-quarter rules check TW II against marts built in the same run (a
            # join order DuckDB can get wrong there, docs/skala.md; the quarter runs never see it).
            catch_up = Stages()
            with PeakMemory() as memory:
                run_quarter(data, work / "susulan" / "gudang-ke.duckdb", data / "daftar_opd.csv", 2,
                            args.workers, catch_up)  # fmt: skip
            result |= {"catch_up_stages": catch_up.seconds, "catch_up_peak_tree_bytes": memory.peak_tree}
            print(f"catch-up run (TW I + TW II at once): {catch_up.total:.1f} s, "
                  f"peak {gib(memory.peak_tree)}")  # fmt: skip
            save()

    if "cli" not in skip:
        kode = next(p.kode for p in pemda_for_scale(args.scale) if "." in p.kode)
        work = args.out / f"kerja-{args.scale:g}"
        result["cli"] = cli_run(data, kode, work / "satu-pemda", args.out / "prefect-home")
        print(f"one pemda via `rekap run`: {result['cli']['rekap run']:.1f} s")

    result["load_after"] = os.getloadavg()
    save()
    print_table(result)


def print_table(r: dict) -> None:
    """The results as the table of docs/skala.md."""
    if "full_stages" not in r:
        print(json.dumps(r.get("cli", {}), indent=2))
        return
    floor = r["floor_seconds"]
    full = r["full_stages"]
    whole = sum(v for k, v in full.items() if k != "report")
    ingest = whole - full["pull"]
    process = r.get("full_process_seconds", {})
    lines = [
        f"| floor: every cell of TW II, calamine, 1 process, best of 3 | {floor:.1f} s | | |",
        *(f"| {k} | {v:.1f} s | | |" for k, v in full.items()),
        *(f"| ... {k} (process time, all workers) | {v:.1f} s | | |" for k, v in process.items()),
        f"| ingest to marts (read, validate, load, roll up) | {ingest:.1f} s | <= {2 * floor:.1f} s "
        f"(2x floor) | x{ingest / floor:.1f} |",
        f"| full run (pull..roll up) | {whole:.1f} s | | x{whole / floor:.1f} |",
        f"| rows per second | {r['rows'] / ingest:,.0f} | | |",
        f"| peak memory, process tree (PSS sum) | {gib(r['peak_tree_bytes'])} | < 2 GiB | |",
        f"| peak memory, process tree (RSS sum, shared counted twice) | {gib(r['peak_tree_rss_bytes'])} "
        "| | |",
        f"| working copy of the warehouse ({r['warehouse_bytes'] / 2**20:.0f} MiB) "
        f"| {r['copy_seconds']:.2f} s | | |",
    ]
    if "incremental_stages" in r:
        inc = sum(r["incremental_stages"].values())
        lines.append(f"| resubmission rerun | {inc:.1f} s | < 5 % of full | {100 * inc / whole:.1f} % |")
        lines += [f"| ... {k} | {v:.2f} s | | |" for k, v in r["incremental_stages"].items()]
        if "gx_import_seconds" in r:
            lines.append(f"| ... GX import before it (not counted) | {r['gx_import_seconds']:.1f} s | | |")
    if "catch_up_stages" in r:
        up = r["catch_up_stages"]
        lines.append(f"| catch-up run, TW I + TW II at once (pull..roll up) | {sum(up.values()):.1f} s | | |")
        lines += [f"| ... {k} | {v:.1f} s | | |" for k, v in up.items()]
        peak = gib(r["catch_up_peak_tree_bytes"])
        lines.append(f"| ... peak memory, process tree (PSS sum) | {peak} | < 2 GiB | |")
    if "cli" in r:
        lines += [
            f"| {k} | {v:.1f} s | {'< 15 s' if k == 'rekap run' else ''} | |" for k, v in r["cli"].items()
        ]
    if "report_workbook_page" in r:
        rep = r["report_workbook_page"]
        lines.append(
            f"| one pemda report, workbook + page (median / max) | {rep['median']:.2f} / {rep['max']:.2f} s "
            "| < 1 s | |"
        )
        for part, t in r["report_parts"].items():
            lines.append(f"| report part {part} (median / max) | {t['median']:.2f} / {t['max']:.2f} s | | |")
    print("\n| measure | value | target | ratio |\n|---|---|---|---|")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
