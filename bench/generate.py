"""Seeded generator of a national quarter for the benchmark: 38 provinces and 514 kabupaten/kota, 18 OPDs
each, one file per OPD per quarter for TW I (the history) and TW II (the quarter measured).

    python -m bench.generate --scale 1.0 --out /tmp/rekap-bench

writes `<out>/scale-<s>/{tw1,tw2}/<kode_pemda>/*.xlsx|csv` and `daftar_opd.csv`: about 10,000 files and
250,000 data rows per quarter at scale 1.0 (a deterministic subset of the pemda below that). The files come
from the `sample` generator (`recipe_for`): the OPDs of its catalogue with 15-35 rows each, written the way
OPDs send them with the bundled sample's mess (title rows, merged headers, synonyms, amounts typed as text,
formulas, CSV with `;` or a BOM, hidden columns, upper-case Identitas, ...), drawn at random, plus the events
of a real quarter: a few rejected files, revisions, OPDs that never send. Same seed and scale, same bytes,
however many processes write them. Output stays outside the repo.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sample import (
    CATALOGUE,
    Pemda,
    Recipe,
    Shares,
    build,
    daftar_opd_csv,
    every_pemda,
    file_bytes,
    next_revision,
    renamed,
    write_submissions,
)

TAHUN = 2024
SEED = 2024
QUARTERS = (1, 2)
DEFAULT_OUT = Path(os.environ.get("REKAP_BENCH_DIR", "/tmp/rekap-bench"))
GENERATOR_VERSION = 2  # bump when the output for a given seed changes


def recipe_for(pemda: Pemda, seed: int = SEED) -> Recipe:
    """One pemda's TW I and TW II: 15-35 rows per file, mess and events drawn at the shares of a real quarter
    (1.5 % rejected, 1 % revised, 1 % never sent), lokasi codes of the region reference (so that a generated
    quarter raises no W10/W11 warning a real one would not). Each pemda has its own seed, so that any number
    of processes write the same bytes."""
    return Recipe(
        pemda=pemda,
        tahun=TAHUN,
        quarters=QUARTERS,
        seed=f"{seed}:{pemda.kode}",
        events=frozenset({"revision", "rejected", "missing"}),
        cast=Shares(),
        rows=(15, 35),
        lokasi="reference",
        folders="tw{q}/{kode_pemda}",
    )


def pemda_for_scale(scale: float, seed: int = SEED) -> list[Pemda]:
    """A deterministic subset of round(552 x scale) pemda (all of them at scale 1), in code order."""
    pemda = every_pemda()
    n = max(1, min(len(pemda), round(len(pemda) * scale)))
    if n == len(pemda):
        return pemda
    chosen = set(random.Random(f"{seed}:skala").sample(range(len(pemda)), n))
    return [p for i, p in enumerate(pemda) if i in chosen]


def _write_pemda(args: tuple[Pemda, int, Path]) -> dict[str, int]:
    pemda, seed, out_dir = args
    sample = build(recipe_for(pemda, seed))
    write_submissions(sample, out_dir)
    counts = {"files": 0, "rows": 0, "csv": 0, "ditolak": 0, "digantikan": 0}
    for q in QUARTERS:
        counts |= {f"files_tw{q}": 0, f"rows_tw{q}": 0}
    for f in sample.files:
        counts["files"] += 1
        counts["rows"] += len(f.rows)
        counts[f"files_tw{f.triwulan}"] += 1
        counts[f"rows_tw{f.triwulan}"] += len(f.rows)
        counts["csv"] += f.layout.fmt == "csv"
        counts[f.expected_status] = counts.get(f.expected_status, 0) + 1
    return counts


def data_dir(out: Path, scale: float) -> Path:
    """Where the data of one scale lives."""
    return out / f"scale-{scale:g}"


def generate(
    scale: float = 1.0, out: Path = DEFAULT_OUT, seed: int = SEED, workers: int | None = None
) -> Path:
    """Write the data for a scale (skipped when the same data is already there); return its folder."""
    folder = data_dir(out, scale)
    manifest_path = folder / "manifest.json"
    key = {"scale": scale, "seed": seed, "version": GENERATOR_VERSION, "tahun": TAHUN}
    if manifest_path.exists() and json.loads(manifest_path.read_text())["key"] == key:
        return folder
    manifest_path.unlink(missing_ok=True)
    pemda = pemda_for_scale(scale, seed)
    started = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    jobs = [(p, seed, folder) for p in pemda]
    if workers == 1:
        results = [_write_pemda(job) for job in jobs]
    else:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_write_pemda, jobs, chunksize=4))
    totals: dict[str, int] = {}
    for counts in results:
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
    (folder / "daftar_opd.csv").write_bytes(daftar_opd_csv(pemda, CATALOGUE, TAHUN))
    manifest = {"key": key, "pemda": len(pemda), **totals, "seconds": round(time.perf_counter() - started, 1)}
    manifest_path.write_text(json.dumps(manifest, indent=2))
    return folder


def resubmission(folder: Path, kode_pemda: str, seed: int = SEED) -> Path:
    """A new revision of one OPD's TW II file (one SP2D moved out of the quarter), written beside the
    data in `tw2-revisi/`: what an OPD sends after the steward's letter."""
    pemda = next(p for p in every_pemda() if p.kode == kode_pemda)
    sample = build(recipe_for(pemda, seed))
    f = next(f for f in sample.files if f.triwulan == 2 and f.expected_status == "diterima")
    revised = next_revision(f, renamed(f.relpath, " revisi", folder=f"tw2-revisi/{pemda.kode}"))
    path = folder / revised.relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(file_bytes(sample, revised))
    return path


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.generate --scale S --out DIR`."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the 552 pemda (default 1.0)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"root folder (default {DEFAULT_OUT})")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workers", type=int, help="processes (default: all cores)")
    args = parser.parse_args(argv)
    folder = generate(args.scale, args.out, args.seed, args.workers)
    manifest = json.loads((folder / "manifest.json").read_text())
    print(f"{folder}: {manifest['pemda']} pemda, {manifest['files']} files, {manifest['rows']} rows "
          f"({manifest['seconds']} s)")  # fmt: skip


if __name__ == "__main__":
    main()
