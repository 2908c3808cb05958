"""Measure the dashboard on the bench's national warehouse (docs/skala.md): every kind of page, the server's
own time per request (its `Server-Timing` header: from the request's arrival to its answer), median and p95,
the server's CPU time per page (what the page costs whatever else the machine is doing), and the peak memory
of the server's process.

    python -m bench.run --skip report,incremental,catch-up,cli     # the national warehouse, once
    python -m bench.dasbor [--warehouse W] [--pemda 60] [--ulang 3] [--klien 4]

The server is `rekap dasbor` itself, in a process of its own, on the published warehouse of `bench.run`
(`<out>/kerja-<scale>/gudang-ke.duckdb`). Pages of a spread of pemda (provinces and kab/kota) are asked for
`--ulang` times each, one client after another, then again by `--klien` clients at once. The figures are
printed as a table and kept in `<out>/dasbor-<scale>.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

from bench.generate import DEFAULT_OUT, TAHUN
from rekap.report.build import build_table
from rekap.warehouse.sql import query_rows
from rekap.warehouse.store import connect

REPO = Path(__file__).resolve().parents[1]
TRIWULAN = 2  # the quarter bench.run measures


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pages(warehouse: Path, count: int) -> dict[str, list[str]]:
    """The pages asked for, by kind: for `count` pemda spread over the warehouse, each list page, the
    Matriks 2 of their largest OPD and the rows behind one of its figures; every province's page of those;
    Nasional and the home page."""
    con = connect(warehouse, read_only=True)
    try:
        pemda = [row[0] for row in query_rows(con, "dasbor/pemda")[1]]
        chosen = pemda[:: max(1, len(pemda) // count)][:count]
        found: dict[str, list[str]] = {
            "beranda": ["index.html"],
            "nasional": [f"nasional/{TAHUN}/tw{TRIWULAN}.html"],
        }
        for kode in chosen:
            base = f"{kode}/{TAHUN}/tw{TRIWULAN}"
            for name in ("ringkasan", "opd", "lokasi", "kelengkapan", "asal"):
                found.setdefault(name, []).append(f"{base}/{name}.html")
            t2 = build_table(con, "t2", kode, TAHUN, TRIWULAN)
            sized = sorted((row[3], row[0]) for row in t2.rows if row[0] and row[3] is not None)
            opd = [(sized[-1][1],)] if sized else []
            if opd:
                found.setdefault("opd rinci", []).append(f"{base}/opd/{opd[0][0]}.html")
                params = {
                    "kode_pemda": kode,
                    "tahun": TAHUN,
                    "triwulan": TRIWULAN,
                    "kode_skpd": opd[0][0],
                    "kode_sub_kegiatan": None,
                    "sumber_dana": None,
                }
                names, rows = query_rows(con, "query/asal", **params)
                if rows:
                    key = [rows[0][names.index(n)] for n in ("kode_skpd", "kode_sub_kegiatan", "sumber_dana")]
                    found.setdefault("asal rinci", []).append(f"{base}/asal/{'/'.join(key)}.html")
        for provinsi in sorted({k.split(".")[0] for k in chosen}):
            found.setdefault("provinsi", []).append(f"provinsi/{provinsi}/{TAHUN}/tw{TRIWULAN}.html")
        return found
    finally:
        con.close()


def ask(url: str) -> tuple[float, float, int]:
    """(server ms, client ms, bytes) of one page; raises unless it answers 200."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        body = response.read()
        timing = response.headers["Server-Timing"]
    took = (time.perf_counter() - started) * 1000
    return float(timing.split("dur=")[1]), took, len(body)


class Memory:
    """Peak resident memory (RSS) and unique memory (USS) of one process, sampled in a thread."""

    def __init__(self, pid: int):
        self.process = psutil.Process(pid)
        self.peak_rss = self.peak_uss = 0
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while self.running:
            with_uss = self.process.memory_full_info()
            self.peak_rss = max(self.peak_rss, with_uss.rss)
            self.peak_uss = max(self.peak_uss, with_uss.uss)
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop sampling."""
        self.running = False
        self.thread.join()


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.dasbor`."""
    parser = argparse.ArgumentParser(prog="python -m bench.dasbor", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="the scale bench.run was run at (default 1.0)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"root folder (default {DEFAULT_OUT})")
    parser.add_argument("--warehouse", type=Path, help="published warehouse (default: bench.run's)")
    parser.add_argument("--pemda", type=int, default=60, help="pemda whose pages are asked for (default 60)")
    parser.add_argument("--ulang", type=int, default=3, help="times each page is asked for (default 3)")
    parser.add_argument("--klien", type=int, default=4, help="clients at once in the second pass (default 4)")
    args = parser.parse_args(argv)
    warehouse = args.warehouse or args.out / f"kerja-{args.scale:g}" / "gudang-ke.duckdb"
    if not warehouse.is_file():
        sys.exit(f"no warehouse at {warehouse}: run `python -m bench.run` first")
    kinds = pages(warehouse, args.pemda)
    port = _free_port()
    env = {**os.environ, "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("REKAP_DASBOR_TOKEN", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rekap.cli.main",
            "dasbor",
            "--warehouse",
            str(warehouse),
            "--port",
            str(port),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "api/versi", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        process = psutil.Process(server.pid)
        idle = process.memory_info().rss
        memory = Memory(server.pid)
        results: dict[str, dict[str, object]] = {}
        for kind, paths in kinds.items():
            server_ms, client_ms, size = [], [], []
            cpu_before = sum(process.cpu_times()[:2])
            for _ in range(args.ulang):
                for path in paths:
                    s, c, n = ask(base + path)
                    server_ms.append(s)
                    client_ms.append(c)
                    size.append(n)
            cpu_ms = (sum(process.cpu_times()[:2]) - cpu_before) * 1000 / len(server_ms)
            results[kind] = {
                "cpu_ms": cpu_ms,
                "pages": len(paths),
                "requests": len(server_ms),
                "median_ms": statistics.median(server_ms),
                "p95_ms": p95(server_ms),
                "max_ms": max(server_ms),
                "client_median_ms": statistics.median(client_ms),
                "kib_median": statistics.median(size) / 1024,
            }
        every = [base + p for paths in kinds.values() for p in paths]
        started = time.perf_counter()
        with ThreadPoolExecutor(args.klien) as pool:
            together = list(pool.map(ask, every * args.ulang))
        wall = time.perf_counter() - started
        memory.stop()
    finally:
        server.terminate()
        server.wait(timeout=30)
    concurrent = [s for s, _, _ in together]
    summary = {
        "warehouse": str(warehouse),
        "warehouse_mib": warehouse.stat().st_size / 2**20,
        "pemda": args.pemda,
        "ulang": args.ulang,
        "pages": results,
        "idle_rss_mib": idle / 2**20,
        "peak_rss_mib": memory.peak_rss / 2**20,
        "peak_uss_mib": memory.peak_uss / 2**20,
        "concurrent": {
            "clients": args.klien,
            "requests": len(concurrent),
            "median_ms": statistics.median(concurrent),
            "p95_ms": p95(concurrent),
            "pages_per_second": len(concurrent) / wall,
        },
        "load": os.getloadavg(),
        "cpus": os.cpu_count(),
    }
    (args.out / f"dasbor-{args.scale:g}.json").write_text(json.dumps(summary, indent=2))
    print(
        f"dashboard on {warehouse} ({summary['warehouse_mib']:.0f} MiB), {args.pemda} pemda, "
        f"each page x{args.ulang}; server time from its Server-Timing header"
    )
    print("\n| page | pages | requests | median | p95 | max | server CPU per page | size (median) |")
    print("|---|---|---|---|---|---|---|---|")
    for kind, r in results.items():
        print(
            f"| {kind} | {r['pages']} | {r['requests']} | {r['median_ms']:.0f} ms | {r['p95_ms']:.0f} ms | "
            f"{r['max_ms']:.0f} ms | {r['cpu_ms']:.0f} ms | {r['kib_median']:.0f} KiB |"
        )
    c = summary["concurrent"]
    assert isinstance(c, dict)
    print(
        f"| all, {c['clients']} clients at once | | {c['requests']} | {c['median_ms']:.0f} ms | "
        f"{c['p95_ms']:.0f} ms | | | {c['pages_per_second']:.1f} pages/s |"
    )
    rss, uss, idle_rss = memory.peak_rss / 2**20, memory.peak_uss / 2**20, idle / 2**20
    print(
        f"\nserver memory: {idle_rss:.0f} MiB RSS idle, peak {rss:.0f} MiB RSS ({uss:.0f} MiB USS); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
