"""Measure `rekap run` as a steward runs it: the venv's console script, a new process each time, through
Prefect, without a server (the command starts its temporary one) and with a running Prefect server.

    python -m bench.cli [--n 300] [--repeat 1] [--server both|none|running] [--national] [--profile]

Cases: the Lebak TW I quarter of the sample cloned to one pemda and to N (`bench.klon`), then the N
pemda again with one OPD's corrected file added (the steward's rerun after a resubmission: same warehouse,
same report folder, only what changed written again), and with
`--national` the national quarter of `bench.generate --scale 1.0` (TW I, then TW II into the same
warehouse: two commands). Each command loads into a new warehouse and writes every pemda's report. Per
case it prints the floor (python-calamine reading every cell of the same files in one process, best of
three, as `bench.run`, measured again just before each command so that both are on the same spell of a
shared machine), the time from the command's start to the published warehouse, its ratio to the
floor (plain, and at the margin for the cloned series: (t(N) - t(1)) / (floor(N) - floor(1))), the
report time per pemda (published warehouse to the last report file written, over the number of pemda),
the whole command's wall time and the peak memory of its process tree (the sum of PSS, and of RSS, of
the command and all its descendants: the temporary server, the fork server and its workers, the report
pool). The time of publication is the warehouse file's ctime, set by the rename that publishes it (the
reports only read it); that of the last report the newest mtime under the report folder; both are read
from the files by this benchmark, which started the command. Each command is also split into stages by
the run's own log lines (`STAGES`), with the CPU each process role spent in each (the command, the
readers, the report workers, the Prefect server, read from /proc with the memory), and under each of
issue 16's targets it prints where the time went. Figures are kept in `<out>/cli-hasil.json`.

`--profile` runs the one-pemda and the N-pemda command again under `py-spy record --subprocesses` and
writes the samples in py-spy's raw (collapsed stack) format beside the figures, `profil-*.txt` (for
flamegraph.pl or speedscope), with a reading by process role and function (`bench.profil`).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from bench.generate import DEFAULT_OUT, generate
from bench.klon import cloned_quarter
from bench.profil import role, summarize
from bench.run import PeakMemory, floor_seconds, gib, running_prefect_server

TAHUN = 2024
MODES = {"none": "tanpa server", "running": "server berjalan"}
# Issue 16's targets, printed beside the figures.
TARGET_MARGIN = 3.0
TARGET_REPORT_SECONDS = 0.15
TARGET_ONE_PEMDA_SECONDS = 5.0
TARGET_RERUN_SHARE = 0.05


@dataclass
class Case:
    """One command's input: a quarter's folder of files for one or more pemda."""

    name: str
    source: Path
    daftar_opd: Path
    triwulan: int
    pemda: int
    series: str  # the cases measured against each other at the margin ("klon"), or one of their own
    files: int = 0
    cells: int = 0

    def paths(self) -> list[Path]:
        """Every file of the case's folder."""
        return sorted(p for p in self.source.rglob("*") if p.is_file())


@dataclass
class Measured:
    """One command's figures (seconds from its start; bytes)."""

    case: str
    mode: str
    floor: float
    wall: float
    published: float
    reports_done: float
    report_files: int
    pemda_reported: int
    peak_pss: int
    peak_rss: int
    counts: dict[str, int] = field(default_factory=dict)
    published_log: float | None = None  # the same moment from the run's own log line (a check)
    load_before: tuple[float, ...] = ()
    profile: str | None = None
    rerun: bool = False
    # Seconds from the start at which each stage ended (`STAGES`), and the CPU seconds each process role
    # spent in each stage (`cpu_by_stage`).
    stages: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def report_per_pemda(self) -> float:
        """Wall seconds of the report stage per pemda reported."""
        return (self.reports_done - self.published) / max(1, self.pemda_reported)

    @property
    def durations(self) -> dict[str, float]:
        """Wall seconds of each stage."""
        return {stage: end - begin for stage, begin, end in stage_windows(self.stages)}


def _rekap() -> str:
    """The venv's `rekap` console script, as a steward types it."""
    script = Path(sys.executable).parent / "rekap"
    if not script.exists():
        raise SystemExit(f"{script} not found: install the package in this venv (pip install -e .)")
    return str(script)


def steward_environment(prefect_home: Path) -> dict[str, str]:
    """A steward's environment: no Prefect API configured, Prefect's history in `prefect_home`, no
    `REKAP_*` setting, nothing phoning home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_", "REKAP_"))}
    return env | {
        "PREFECT_HOME": str(prefect_home),
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "GX_ANALYTICS_ENABLED": "false",
    }


_COUNTS = re.compile(r"Berkas baru: (\d+) \((\d+) diterima, (\d+) ditolak\)")
_ROWS = re.compile(r"Baris dibaca: (\d+) = (\d+) diterima \+ (\d+) ditolak")


def parse_summary(stdout: str) -> dict[str, int]:
    """Files and rows accepted and rejected, and pemda reported, from the command's closing summary."""
    counts: dict[str, int] = {"pemda": stdout.count("  Laporan pemda ")}
    if found := _COUNTS.search(stdout):
        counts |= dict(zip(("files", "accepted", "rejected"), map(int, found.groups()), strict=True))
    if found := _ROWS.search(stdout):
        counts |= dict(zip(("rows", "rows_accepted", "rows_rejected"), map(int, found.groups()), strict=True))
    return counts


# The command's stages, each named by where it ends, and the run's own log line that ends it (the last
# such line: a run in several batches says "Dibaca dan divalidasi" once a batch). "start" is the
# command's start to the flow's first line (imports, arguments, a temporary server, the flow run
# created); "reports" ends at the newest report file, "end" at the command's exit.
STAGES = ("start", "pull", "check", "load", "reports", "end")
_ENDS = {
    "start": "' - Beginning flow run",
    "pull": "' - Sumber ",
    "check": "' - Dibaca dan divalidasi: ",
    "load": "' - Gudang data diterbitkan",
}
_LINE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) \| .*$", re.M)


def logged_ends(log: str, started_wall: float) -> dict[str, float]:
    """Seconds from the start to the last log line that ends each stage of `_ENDS` (the lines carry the
    local time of day to the millisecond)."""
    start = time.localtime(started_wall)
    midnight = started_wall - (start.tm_hour * 3600 + start.tm_min * 60 + start.tm_sec) - started_wall % 1
    ends: dict[str, float] = {}
    for found in _LINE.finditer(log):
        for stage, marker in _ENDS.items():
            if marker in found.group(0):
                h, m, s, ms = map(int, found.groups())
                at = midnight + h * 3600 + m * 60 + s + ms / 1000
                ends[stage] = (at + 86400 if at < started_wall - 3600 else at) - started_wall
    return ends


def _short_role(lineage: list[str]) -> str:
    """A sampled process as one of the roles the figures name."""
    if lineage and "prefect server start" in lineage[0]:
        return "server"
    return {
        "rekap run": "command",
        "readers (fork server and its workers)": "readers",
        "fork of rekap run (warm worker, report pool)": "report workers",
        "Prefect temporary server": "server",
    }.get(role(lineage), "other")


ROLES = ("command", "readers", "report workers", "server", "other")


def stage_windows(ends: dict[str, float]) -> list[tuple[str, float, float]]:
    """Each stage with the seconds from the start at which it began and ended (a stage whose end the log
    does not show takes no time: its work counts in the next)."""
    windows, begin = [], 0.0
    for stage in STAGES:
        end = ends.get(stage, begin)
        windows.append((stage, begin, end))
        begin = end
    return windows


def cpu_by_stage(
    memory: PeakMemory, started_wall: float, ends: dict[str, float]
) -> dict[str, dict[str, float]]:
    """CPU seconds of each role in each stage, from the sampler's records."""
    cpu: dict[str, dict[str, float]] = {}
    for stage, begin, end in stage_windows(ends):
        by_role = dict.fromkeys(ROLES, 0.0)
        for pid, seconds in memory.cpu_between(started_wall + begin, started_wall + end).items():
            by_role[_short_role(memory.lineage(pid))] += seconds
        cpu[stage] = {r: round(v, 3) for r, v in by_role.items()}
    return cpu


def run_command(case: Case, mode: str, run_dir: Path, env: dict[str, str], profile: Path | None = None,
                warehouse: Path | None = None, rerun: bool = False,
                server: int | None = None) -> Measured:  # fmt: skip
    """One `rekap run` of the case in a new process, timed from here; its output under `run_dir` (a
    `rerun` keeps the warehouse and the reports of the run before; `server`, a running Prefect server's
    process, whose CPU is counted with the command's)."""
    warehouse = warehouse or run_dir / "gudang-ke.duckdb"
    reports = run_dir / f"laporan-tw{case.triwulan}"
    if not rerun:
        shutil.rmtree(reports, ignore_errors=True)
    command = [_rekap(), "run", "--source", str(case.source), "--tahun", str(TAHUN),
               "--triwulan", str(case.triwulan), "--daftar-opd", str(case.daftar_opd),
               "--warehouse", str(warehouse), "--out", str(reports)]  # fmt: skip
    if profile is not None:
        py_spy = str(Path(_rekap()).parent / "py-spy")
        command = [py_spy, "record", "--output", str(profile), "--format", "raw", "--subprocesses", "--",
                   *command]  # fmt: skip
    run_dir.mkdir(parents=True, exist_ok=True)
    log = run_dir / f"{case.name}.log"
    floor, case.cells = floor_seconds(case.paths())
    load = os.getloadavg()
    with open(log, "w") as out:
        started_wall, started = time.time(), time.perf_counter()
        process = subprocess.Popen(command, cwd=run_dir, env=env, stdout=out, stderr=subprocess.STDOUT)
        with PeakMemory(root=process.pid, also=(server,) if server else ()) as memory:
            status = process.wait()
        wall = time.perf_counter() - started
    text = log.read_text(errors="replace")
    if status != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({status}); log {log}:\n{text[-3000:]}")
    published = warehouse.stat().st_ctime - started_wall
    ends = logged_ends(text, started_wall)
    logged = ends.get("load")
    if logged is not None and abs(logged - published) > 1.0:
        print(f"  note: the log says published at {logged:.1f} s, the file's ctime {published:.1f} s")
    written = [m for p in reports.rglob("*") if p.is_file() and (m := p.stat().st_mtime) >= started_wall]
    reports_done = (max(written) - started_wall) if written else published
    ends |= {"load": published, "reports": reports_done, "end": wall}
    counts = parse_summary(text)
    return Measured(
        case=case.name, mode=mode, floor=floor, wall=wall, published=published, reports_done=reports_done,
        report_files=len(written), pemda_reported=counts["pemda"], peak_pss=memory.peak_tree,
        peak_rss=memory.peak_rss, counts=counts, published_log=logged, load_before=load,
        profile=str(profile) if profile else None, rerun=rerun, stages=ends,
        cpu=cpu_by_stage(memory, started_wall, ends),
    )  # fmt: skip


# --- cases --------------------------------------------------------------------------------------------


def clone_cases(ns: list[int], root: Path) -> list[Case]:
    """One pemda and each N of the cloned quarter."""
    cases = []
    for n in sorted({1, *ns}):
        folder = cloned_quarter(n, root)
        cases.append(Case(f"klon-{n}", folder / "tw1", folder / "daftar_opd.csv", 1, n, "klon"))
        cases[-1].files = len(cases[-1].paths())
    return cases


def linked_case(case: Case, folder: Path) -> Case:
    """The case on a folder of its own holding the same files (hard links), which a resubmission may then
    be added to without touching the generated data."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(case.source, folder, copy_function=os.link)
    return replace(case, source=folder)


def resubmission_case(case: Case) -> Case:
    """The case's folder with one OPD's corrected file added beside its first, as a steward's rerun finds
    the quarter's folder: the last CSV with its identity in columns, as revision 1 with a remark added to
    its first row."""
    for original in sorted(case.source.rglob("*.csv"), reverse=True):
        rows = list(csv.reader(io.StringIO(original.read_text(encoding="utf-8-sig"))))
        header = rows[0]
        if {"revisi", "Keterangan"} <= set(header):
            break
    else:
        raise RuntimeError(f"no CSV with an identity in {case.source}")
    for row in rows[1:]:
        row[header.index("revisi")] = "1"
    rows[1][header.index("Keterangan")] = "Perbaikan: angka dicocokkan dengan SP2D"
    revised = original.with_name(original.stem + " revisi 1.csv")
    with open(revised, "w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    return replace(case, name=f"{case.name}-ulang", files=case.files + 1)


def national_cases(root: Path, scale: float = 1.0) -> list[Case]:
    """The national quarter of `bench.generate --scale 1.0`: TW I, then TW II on top of it."""
    data = generate(scale, root)
    pemda = json.loads((data / "manifest.json").read_text())["pemda"]
    cases = [
        Case(f"nasional-tw{q}", data / f"tw{q}", data / "daftar_opd.csv", q, pemda, "nasional")
        for q in (1, 2)
    ]
    for case in cases:
        case.files = len(case.paths())
    return cases


def run_mode(mode: str, cases: list[Case], out: Path, repeat: int, profile: bool) -> list[Measured]:
    """Every case in one mode, `repeat` times (cases interleaved), after an untimed warm-up run; then the
    profiled runs."""
    env = steward_environment(out / "prefect-home")
    if mode == "running":
        server_env = env | {"PREFECT_HOME": str(out / "prefect-server-home")}
        with running_prefect_server(server_env) as (api_env, server):
            api = {"PREFECT_API_URL": api_env["PREFECT_API_URL"]}
            return _run_cases(mode, cases, out, repeat, profile, env | api, server)
    return _run_cases(mode, cases, out, repeat, profile, env)


def _run_cases(mode: str, cases: list[Case], out: Path, repeat: int, profile: bool, env: dict[str, str],
               server: int | None = None) -> list[Measured]:  # fmt: skip
    runs = out / "runs" / mode
    # Untimed: Prefect creates its database on a new PREFECT_HOME (once per installation), and the first
    # run after a while reads the venv from disk.
    warm_up = cases[0]
    run_command(warm_up, mode, runs / "pemanasan", env, server=server)
    measured: list[Measured] = []
    largest = max((c for c in cases if c.series == "klon"), key=lambda c: c.pemda)
    for _ in range(repeat):
        # The largest clone reads a folder of its own, which its rerun then finds with one file added.
        linked = linked_case(largest, out / "ulang")
        for case in [linked if c is largest else c for c in cases if c.series != "nasional"]:
            shutil.rmtree(runs / case.name, ignore_errors=True)
            measured.append(_shown(run_command(case, mode, runs / case.name, env, server=server)))
        resubmitted = resubmission_case(linked)
        measured.append(
            _shown(run_command(resubmitted, mode, runs / largest.name, env, rerun=True, server=server))
        )
        national = [c for c in cases if c.series == "nasional"]
        if national:
            shutil.rmtree(runs / "nasional", ignore_errors=True)
            warehouse = runs / "nasional" / "gudang-ke.duckdb"
            for case in national:  # TW II on the warehouse TW I made
                measured.append(
                    _shown(
                        run_command(case, mode, runs / "nasional", env, warehouse=warehouse, server=server)
                    )
                )
    if profile:
        clones = [c for c in cases if c.series == "klon"]
        for case in {clones[0].name: clones[0], clones[-1].name: clones[-1]}.values():
            shutil.rmtree(runs / case.name, ignore_errors=True)
            target = out / f"profil-{mode}-{case.name}.txt"
            measured.append(
                _shown(run_command(case, mode, runs / case.name, env, profile=target, server=server))
            )
            summary = target.with_name(target.stem + "-ringkasan.txt")
            summary.write_text(summarize(target) + "\n", encoding="utf-8")
            print(f"  profile {target}, read by role and function in {summary}")
    return measured


def _shown(m: Measured) -> Measured:
    print(
        f"  {m.case:<16} {MODES[m.mode]:<15} {'(py-spy) ' if m.profile else ''}"
        f"floor {m.floor:.3f} s, published {m.published:6.1f} s, "
        f"reports {m.reports_done - m.published:6.1f} s ({m.pemda_reported} pemda), whole {m.wall:6.1f} s, "
        f"peak PSS {gib(m.peak_pss)}; files {m.counts.get('accepted')} accepted, "
        f"{m.counts.get('rejected')} rejected; load {m.load_before[0]:.2f}",
        flush=True,
    )
    print(f"    {_stage_text(m.durations)} | CPU s: {_role_text(_sum_roles(m.cpu.values()))}", flush=True)
    return m


def _stage_text(seconds: dict[str, float]) -> str:
    return "stages s: " + ", ".join(f"{stage} {seconds.get(stage, 0.0):.2f}" for stage in STAGES)


def _sum_roles(stages: Iterable[dict[str, float]]) -> dict[str, float]:
    """CPU seconds of each role over several stages."""
    total = dict.fromkeys(ROLES, 0.0)
    for roles in stages:
        for name, seconds in roles.items():
            total[name] += seconds
    return total


def _role_text(by_role: dict[str, float], per: int = 1) -> str:
    return ", ".join(f"{name} {seconds / per:.3f}" for name, seconds in by_role.items() if seconds)


# --- figures ------------------------------------------------------------------------------------------


def check_counts(cases: list[Case], measured: list[Measured]) -> list[str]:
    """Problems: a cloned case whose accepted and rejected files and rows are not N times one pemda's."""
    problems = []
    one = {m.mode: m.counts for m in measured if m.case == "klon-1" and not m.profile}
    for m in measured:
        case = next((c for c in cases if c.name == m.case), None)
        if case is None or case.series != "klon" or m.mode not in one:
            continue
        for key in ("files", "accepted", "rejected", "rows", "rows_accepted", "rows_rejected", "pemda"):
            expected = one[m.mode].get(key, 0) * case.pemda
            if m.counts.get(key) != expected:
                problems.append(f"{m.case} ({MODES[m.mode]}): {key} {m.counts.get(key)}, expected {expected}")
    return problems


def best(measured: list[Measured], case: str, mode: str) -> dict[str, float] | None:
    """One case in one mode over its repetitions: the run that published soonest, with the floor measured
    just before it; the least report time and wall time; the highest peaks."""
    runs = [m for m in measured if m.case == case and m.mode == mode and not m.profile]
    if not runs:
        return None
    first = min(runs, key=lambda m: m.published)
    return {
        "floor": first.floor,
        "published": first.published,
        "report_per_pemda": min(m.report_per_pemda for m in runs),
        "wall": min(m.wall for m in runs),
        "wall_median": statistics.median(m.wall for m in runs),
        "peak_pss": max(m.peak_pss for m in runs),
        "peak_rss": max(m.peak_rss for m in runs),
        "load_before": first.load_before[0],
        "runs": len(runs),
        "report_files": first.report_files,
        "stages": first.durations,
        "cpu": first.cpu,
        "pemda_reported": first.pemda_reported,
    }


def table(cases: list[Case], measured: list[Measured]) -> tuple[str, dict]:
    """The figures as a Markdown table, and as a dict for the JSON."""
    lines = [
        "| case | Prefect | pemda | files | floor | to published | x floor | x floor at margin | "
        "reports / pemda | whole command | peak PSS (RSS) of the tree | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    figures: dict[str, dict] = {}
    for mode in MODES:
        one = best(measured, "klon-1", mode)
        for case in cases:
            b = best(measured, case.name, mode)
            if b is None:
                continue
            margin = None
            if case.series == "klon" and case.pemda > 1 and one is not None:
                margin = (b["published"] - one["published"]) / (b["floor"] - one["floor"])
            b |= {"x_floor": b["published"] / b["floor"], "x_floor_margin": margin}
            figures[f"{case.name} {mode}"] = b
            lines.append(
                f"| {case.name} | {MODES[mode]} | {case.pemda} | {case.files} | {b['floor']:.3f} s "
                f"| {b['published']:.1f} s | {b['x_floor']:.1f} | {'' if margin is None else f'{margin:.1f}'}"
                " "
                f"| {b['report_per_pemda']:.3f} s | {b['wall']:.1f} s | {gib(b['peak_pss'])} "
                f"({gib(b['peak_rss'])}) | {b['load_before']:.1f} |"
            )
        for case in [c for c in cases if c.series == "klon" and c.pemda > 1]:
            b = best(measured, f"{case.name}-ulang", mode)
            if b is not None:
                figures[f"{case.name}-ulang {mode}"] = b
                lines.append(
                    f"| {case.name}, one file resubmitted | {MODES[mode]} | {case.pemda} | {case.files + 1} "
                    f"| | {b['published']:.1f} s | | | {b['report_files']} files written | {b['wall']:.1f} s "
                    f"| {gib(b['peak_pss'])} ({gib(b['peak_rss'])}) | {b['load_before']:.1f} |"
                )
    return "\n".join(lines), figures


def targets(figures: dict[str, dict], ns: list[int]) -> list[str]:
    """Issue 16's targets against the figures measured, each followed by where its time went: the stages
    from the run's log, and the CPU of each process role (the command, the readers, the report workers,
    the Prefect server) sampled from /proc."""
    lines = []
    for mode in MODES:
        big = figures.get(f"klon-{max(ns)} {mode}")
        one = figures.get(f"klon-1 {mode}")
        if big and one and big["x_floor_margin"] is not None:
            ok = big["x_floor_margin"] <= TARGET_MARGIN
            lines.append(f"{MODES[mode]}: ingest at the margin x{big['x_floor_margin']:.1f} the floor "
                         f"(target <= {TARGET_MARGIN:g}): {'met' if ok else 'NOT met'}")  # fmt: skip
            lines += _ingest_margin(big, one)
        if big:
            ok = big["report_per_pemda"] <= TARGET_REPORT_SECONDS
            lines.append(f"{MODES[mode]}: reports {big['report_per_pemda']:.3f} s a pemda "
                         f"(target <= {TARGET_REPORT_SECONDS}): {'met' if ok else 'NOT met'}")  # fmt: skip
            per_pemda = _role_text(big["cpu"]["reports"], big["pemda_reported"])
            lines.append(f"  CPU s a pemda in the report stage: {per_pemda} (on {os.cpu_count()} cores)")
        rerun = figures.get(f"klon-{max(ns)}-ulang {mode}")
        if big and rerun:
            share = rerun["wall"] / big["wall"]
            verdict = "met" if share < TARGET_RERUN_SHARE else "NOT met"
            lines.append(f"{MODES[mode]}: rerun after one resubmission {rerun['wall']:.1f} s = "
                         f"{100 * share:.1f} % of the full run, {rerun['report_files']} report files written "
                         f"(target < {100 * TARGET_RERUN_SHARE:g} %): {verdict}")  # fmt: skip
            lines.append(f"  {_stage_text(rerun['stages'])}; {100 * TARGET_RERUN_SHARE:g} % of the full run "
                         f"is {TARGET_RERUN_SHARE * big['wall']:.2f} s, the start alone "
                         f"{100 * rerun['stages']['start'] / big['wall']:.1f} %")  # fmt: skip
        if one:
            ok = one["wall"] < TARGET_ONE_PEMDA_SECONDS
            lines.append(f"{MODES[mode]}: one pemda, whole command {one['wall']:.1f} s (target < "
                         f"{TARGET_ONE_PEMDA_SECONDS:g} s): {'met' if ok else 'NOT met'}")  # fmt: skip
            lines.append(f"  {_stage_text(one['stages'])}")
    return lines


def _ingest_margin(big: dict, one: dict) -> list[str]:
    """The margin to the published warehouse by stage, each as its share of the floor's margin, and the
    CPU at the margin of each role from the command's start to the publish."""
    floor = big["floor"] - one["floor"]
    ingest = ("start", "pull", "check", "load")
    by_stage = ", ".join(f"{s} x{(big['stages'][s] - one['stages'][s]) / floor:.2f}" for s in ingest)
    big_cpu, one_cpu = (_sum_roles(side["cpu"][s] for s in ingest) for side in (big, one))
    cpu = {name: big_cpu[name] - one_cpu[name] for name in ROLES}
    cores = os.cpu_count() or 1
    return [
        f"  at the margin by stage (wall, x floor): {by_stage}",
        f"  CPU s at the margin to the published warehouse: {_role_text(cpu)}; the floor's margin "
        f"{floor:.2f} s",
        f"  the readers' CPU at the margin spread over {cores} cores without any loss: "
        f"x{cpu['readers'] / cores / floor:.2f} the floor's margin",
    ]


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.cli`; exit status 1 when a cloned case's counts are not N times one pemda's."""
    parser = argparse.ArgumentParser(prog="python -m bench.cli", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--n", type=int, nargs="+", default=[300], help="cloned pemda (default 300; 1 always)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each case and mode (best kept)")
    parser.add_argument("--server", choices=["both", *MODES], default="both",
                        help="without a server (none), with a running one, or both (default)")  # fmt: skip
    parser.add_argument("--national", action="store_true", help="also the national quarter (long)")
    parser.add_argument("--national-scale", type=float, default=1.0, help="its share of the 552 pemda")
    parser.add_argument("--profile", action="store_true", help="profile one and N pemda with py-spy")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT / "cli", help="folder of the figures and runs"
    )
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    modes = list(MODES) if args.server == "both" else [args.server]

    cases = clone_cases(args.n, DEFAULT_OUT)
    if args.national:
        cases += national_cases(DEFAULT_OUT, args.national_scale)
    for case in cases:
        print(f"{case.name}: {case.files} files in {case.source}")

    result: dict[str, object] = {
        "load_before": os.getloadavg(),
        "cpus": os.cpu_count(),
        "started": time.ctime(),
    }
    measured: list[Measured] = []
    for mode in modes:
        print(f"{MODES[mode]}:", flush=True)
        measured += run_mode(mode, cases, out, args.repeat, args.profile)

    text, figures = table(cases, measured)
    problems = check_counts(cases, measured)
    result |= {
        "load_after": os.getloadavg(),
        "cases": [asdict(c) | {"source": str(c.source), "daftar_opd": str(c.daftar_opd)} for c in cases],
        "runs": [asdict(m) for m in measured],
        "figures": figures,
        "count_problems": problems,
        "published_from": "the warehouse file's ctime (the publishing rename); reports: newest mtime",
    }
    (out / "cli-hasil.json").write_text(json.dumps(result, indent=2, default=str))
    print()
    print(text)
    print()
    for line in targets(figures, args.n):
        print(line)
    print(f"load average before {result['load_before']}, after {result['load_after']}; figures in "
          f"{out / 'cli-hasil.json'}")  # fmt: skip
    for problem in problems:
        print(f"COUNTS DIFFER: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
