"""The reports of many pemda built in bulk (`build_reports`) against main's per-pemda `build_report`.

    python -m bench.laporan_massal WAREHOUSE [WAREHOUSE ...] [--main /work/main] [--repeat 3]

For each warehouse (copied first; the copy is read only): every pemda with figures in its latest quarter,
plus the province of each (its report has T8) and a pemda with no figure at all, are built twice: with the
code of the checkout `--main` (its own venv, one `build_report` per pemda, as the runs built them until now)
and with this checkout's `build_reports`. Every report must be EQUAL to main's (or fail the reconciliation
with the same message); the script prints the build time per pemda of both, best of `--repeat`, and the
machine's load, and exits 1 when a report differs.
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

# A pemda code no warehouse has figures for: its report is the empty one.
TANPA_ANGKA = "99.99"

# Run by main's interpreter in main's checkout: this file's `per_pemda`, with main's `rekap`.
MAIN_SCRIPT = """
import importlib.util, pickle, sys
spec = importlib.util.spec_from_file_location("laporan_massal", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
pickle.dump(module.per_pemda(*pickle.load(open(sys.argv[2], "rb"))), open(sys.argv[3], "wb"))
"""


def best_of(repeat: int, run: Callable[[], Any]) -> tuple[Any, float]:
    """What `run()` gives, and its shortest time in seconds over `repeat` runs."""
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return result, best


def _or_error(build: Callable[[], Any]) -> Any:
    """A report, or the error that stopped it as text (a report that does not add up raises)."""
    try:
        return build()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def per_pemda(warehouse: str, pemda: list[str], tahun: int, triwulan: int, run_id: str | None, repeat: int):
    """With the `rekap` on the path (main's, when main runs it): each pemda's report, letters and summary
    one pemda at a time, as the runs built them until now, and the best time of each."""
    from rekap.report.build import build_report
    from rekap.report.letters import build_letters, build_summary
    from rekap.warehouse.store import connect

    def letters_and_summary(kode_pemda: str) -> tuple:
        surat = build_letters(con, kode_pemda, tahun, triwulan, run_id)
        return surat, build_summary(con, kode_pemda, tahun, triwulan, surat, run_id)

    con = connect(warehouse, read_only=True)
    try:
        reports = best_of(
            repeat, lambda: [_or_error(partial(build_report, con, p, tahun, triwulan)) for p in pemda]
        )
        letters = best_of(repeat, lambda: [letters_and_summary(p) for p in pemda])
    finally:
        con.close()
    return reports, letters


def in_bulk(warehouse: str, pemda: list[str], tahun: int, triwulan: int, run_id: str | None, repeat: int):
    """This checkout's reports, letters and summaries, built in bulk, and the best time of each."""
    from rekap.report.build import build_report, build_reports
    from rekap.report.letters import build_letters_of, build_summaries
    from rekap.warehouse.store import connect

    def reports() -> list:
        found: list = list(build_reports(con, [p for p in pemda if p != TANPA_ANGKA], tahun, triwulan))
        # Alone: a report that does not add up raises, and must not hide the others of its batch.
        return [*found, _or_error(lambda: build_report(con, TANPA_ANGKA, tahun, triwulan))]

    def letters() -> list:
        surat = build_letters_of(con, pemda, tahun, triwulan, run_id)
        summaries = build_summaries(con, tahun, triwulan, surat, run_id)
        return [(surat[p], summaries[p]) for p in pemda]

    con = connect(warehouse, read_only=True)
    try:
        return best_of(repeat, reports), best_of(repeat, letters)
    finally:
        con.close()


def quarter_and_pemda(warehouse: Path) -> tuple[int, int, str | None, list[str]]:
    """The latest year and quarter with figures, its last run, and the pemda to report: those with figures,
    the province of each, and one without figures."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.table("mart.rekap_opd").select("tahun", "triwulan", "kode_pemda").distinct().fetchall()
        runs = con.table("mart.run").select("started_at", "run_id", "tahun", "triwulan").fetchall()
    finally:
        con.close()
    tahun, triwulan = max((t, q) for t, q, _ in rows)
    run_id = max((r for r in runs if (r[2], r[3]) == (tahun, triwulan)), default=(None, None))[1]
    pemda = sorted({p for t, q, p in rows if (t, q) == (tahun, triwulan)})
    provinces = sorted({p.split(".")[0] for p in pemda} - set(pemda))
    return tahun, triwulan, run_id, [*pemda, *provinces, TANPA_ANGKA]


def main_run(main: Path, args: tuple) -> tuple:
    """`per_pemda(*args)` run by main's interpreter with main's code."""
    with tempfile.TemporaryDirectory(prefix="laporan-main-") as folder:
        jobs, out = Path(folder) / "jobs.pickle", Path(folder) / "main.pickle"
        jobs.write_bytes(pickle.dumps(args))
        python = main / ".venv" / "bin" / "python"
        env = {**os.environ, "PYTHONPATH": str(main)}
        subprocess.run(
            [str(python), "-c", MAIN_SCRIPT, __file__, str(jobs), str(out)], cwd=main, env=env, check=True
        )
        return pickle.loads(out.read_bytes())


def load() -> str:
    """The machine's load averages, as `uptime` prints them."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def compare(warehouse: Path, main: Path, repeat: int) -> bool:
    """Print the figures for one warehouse; True when every report equals main's."""
    with tempfile.TemporaryDirectory(prefix="laporan-massal-") as folder:
        tmp = Path(folder)
        copy = tmp / "gudang.duckdb"
        shutil.copyfile(warehouse, copy)
        tahun, triwulan, run_id, pemda = quarter_and_pemda(copy)
        print(f"\n{warehouse}: {tahun} TW {triwulan}, {len(pemda)} laporan, surat of run {run_id}")
        print(f"  load before: {load()}")
        args = (str(copy), pemda, tahun, triwulan, run_id, repeat)
        (before, before_s), (letters_before, letters_before_s) = main_run(main, args)
        (after, after_s), (letters_after, letters_after_s) = in_bulk(*args)
        print(f"  load after:  {load()}")
    differ = [p for p, a, b in zip(pemda, before, after, strict=True) if a != b]
    differ += [f"surat {p}" for p, a, b in zip(pemda, letters_before, letters_after, strict=True) if a != b]
    failed = sum(isinstance(r, str) for r in before)
    n = len(pemda)
    surat = sum(len(s) for s, _ in letters_before)
    print(f"  main, build_report per pemda: {before_s * 1000 / n:7.1f} ms per pemda ({before_s:.2f} s)")
    print(f"  this, build_reports in bulk:  {after_s * 1000 / n:7.1f} ms per pemda ({after_s:.2f} s)")
    print(f"  main, build_letters + build_summary per pemda: {letters_before_s * 1000 / n:7.1f} ms per pemda")
    print(f"  this, build_letters_of + build_summaries:      {letters_after_s * 1000 / n:7.1f} ms per pemda")
    print(f"  equal reports: {n - sum(not p.startswith('surat') for p in differ)} of {n} ({failed} fail the "
          "reconciliation in main, alike here)")  # fmt: skip
    equal = n - sum(p.startswith("surat") for p in differ)
    print(f"  equal letters and summaries: {equal} of {n} ({surat} letters)")
    for p in differ[:5]:
        print(f"  DIFFERS: {p}")
    return not differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouse", nargs="+", type=Path)
    parser.add_argument("--main", type=Path, default=Path("/work/main"), help="main's checkout, with a .venv")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, best taken")
    args = parser.parse_args()
    results = [compare(w, args.main, args.repeat) for w in args.warehouse]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
