"""Measure the pull of a national quarter's folder into the raw store (docs/skala.md has the numbers).

    python -m bench.pull [--scale 1.0] [--out /tmp/rekap-bench] [--repeat 3]

On the TW II folder of `bench.generate` (generated first when missing), each `--repeat` times into a new
raw store: the first pull (every file hashed, copied, made durable), the same pull again with the copies
already in the store and nothing recorded (a run that died before loading: every copy is checked), and
a rerun where the warehouse has every file (the hash cache answers, nothing is copied). Prints the
median and the range of each, wall and CPU seconds.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from bench.generate import DEFAULT_OUT, generate

KINDS = ("first pull", "copies present, none recorded", "rerun")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(source: Path, repeat: int) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) seconds of each kind of pull, `repeat` times, each in a fresh raw store. The CPU time
    (user and system) moves less than the wall time on a machine shared with other work."""
    from rekap.intake.folder import pull_local

    times: dict[str, list[tuple[float, float]]] = {kind: [] for kind in KINDS}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="tarik-", dir=source.parent) as tmp:
            raw = Path(tmp) / "mentah"
            seen: set[str] = set()
            for kind in KINDS:
                os.sync()  # what earlier steps left to write back is not this one's cost
                started, cpu = time.perf_counter(), _cpu()
                incoming = pull_local(source, raw, seen)
                times[kind].append((time.perf_counter() - started, _cpu() - cpu))
                if kind == "copies present, none recorded":
                    seen = {item.file_hash for item in incoming}
    return times


def main(argv: list[str] | None = None) -> int:
    """Generate the data if needed, measure, print a Markdown table."""
    parser = argparse.ArgumentParser(prog="python -m bench.pull", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    source = generate(args.scale, args.out) / "tw2"
    files = sum(1 for p in source.rglob("*") if p.is_file())
    print(f"| pull of {files:,} files ({source}) | wall, median | range | per file | CPU, median | range |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, pairs in measure(source, args.repeat).items():
        wall, cpu = [w for w, _ in pairs], [c for _, c in pairs]
        print(
            f"| {kind} | {statistics.median(wall):.2f} s | {min(wall):.2f}-{max(wall):.2f} s | "
            f"{statistics.median(wall) / files * 1e3:.3f} ms | {statistics.median(cpu):.2f} s | "
            f"{min(cpu):.2f}-{max(cpu):.2f} s |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
