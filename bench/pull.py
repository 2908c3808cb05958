"""Measure the pull of a national quarter's folder into the raw store (docs/skala.md has the numbers).

    python -m bench.pull [--scale 1.0] [--out /tmp/rekap-bench] [--repeat 3]

On the TW II folder of `bench.generate` (generated first when missing), each `--repeat` times into a new
raw store: the first pull (every file hashed, copied, made durable), the same pull again with the copies
already in the store and nothing recorded (a run that died before loading: every copy is checked), and
a rerun where the warehouse has every file (the hash cache answers, nothing is copied). Prints the
median and the range of each, in seconds and per file.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.generate import DEFAULT_OUT, generate


def measure(source: Path, repeat: int) -> dict[str, list[float]]:
    """Seconds of each kind of pull, `repeat` times, each in a fresh raw store."""
    from rekap.pipeline import pull_local

    times: dict[str, list[float]] = {"first pull": [], "copies present, none recorded": [], "rerun": []}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="tarik-", dir=source.parent) as tmp:
            raw = Path(tmp) / "mentah"
            started = time.perf_counter()
            incoming = pull_local(source, raw, set())
            times["first pull"].append(time.perf_counter() - started)
            started = time.perf_counter()
            pull_local(source, raw, set())
            times["copies present, none recorded"].append(time.perf_counter() - started)
            seen = {item.file_hash for item in incoming}
            started = time.perf_counter()
            pull_local(source, raw, seen)
            times["rerun"].append(time.perf_counter() - started)
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
    print(f"| pull of {files:,} files ({source}) | median | range | per file |")
    print("|---|---:|---:|---:|")
    for name, seconds in measure(source, args.repeat).items():
        median = statistics.median(seconds)
        print(
            f"| {name} | {median:.2f} s | {min(seconds):.2f}-{max(seconds):.2f} s | "
            f"{median / files * 1e3:.3f} ms |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
