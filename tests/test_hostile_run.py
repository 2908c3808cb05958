"""One quarter as a steward runs it (`rekap run` in its own process) over every hostile file of
tests/hostile.py beside good ones: the run exits 0; every hostile file is accounted for, with its rule at
its cell; the good files load with exact totals; the report files are the report; nothing is written
outside the output folders; and time and memory stay within the bounds of `Limits`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from rekap.settings import SAMPLE_DIR, SETTINGS
from rekap.warehouse.store import connect
from tests.hostile import cases
from tests.measure import peak_memory_of_descendants

BIN = Path(sys.executable).parent
GOOD = [  # the sample's TW III files of OPDs that no hostile case uses (their codes are 1.06.0.00.0.00.NN)
    "KE_Diskominfo_TW3_2024.csv",
    "LAPORAN KE DISTAN TRIWULAN III.xlsx",
    "36.02_2024_TW3_5.01.5.05.0.00.01.0000_Badan-Perencanaan-Pembangunan-Daerah.xlsx",
]


def _files(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file() or p.is_symlink()}


@pytest.fixture(scope="module")
def run(prefect_api, tmp_path_factory: pytest.TempPathFactory):
    """The steward's command over the folder; what it printed, how long it took, the peak memory of its
    processes, and the files of the whole working folder before it ran."""
    from prefect.settings import PREFECT_API_URL

    root = tmp_path_factory.mktemp("hostile-run")
    src = root / "berkas"
    src.mkdir()
    hostile = {case.name: (case, case.write(src)) for case in cases()}
    for name in GOOD:
        shutil.copy(SAMPLE_DIR / "tw3" / name, src / name)
    before = _files(root)
    env = {k: v for k, v in os.environ.items() if not k.startswith("REKAP_") and k not in SETTINGS}
    env["PREFECT_API_URL"] = PREFECT_API_URL.value()
    command = [str(BIN / "rekap"), "run", "--source", str(src), "--tahun", "2024", "--triwulan", "3",
               "--pemda", "36.02", "--warehouse", str(root / "gudang" / "gudang-ke.duckdb"),
               "--out", str(root / "laporan")]  # fmt: skip
    began = time.monotonic()
    with peak_memory_of_descendants() as peak:
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=900)
    return {"root": root, "hostile": hostile, "done": done, "seconds": time.monotonic() - began,
            "peak": peak[0], "before": before}  # fmt: skip


def test_the_run_exits_0_within_its_bounds(run) -> None:
    done = run["done"]
    assert done.returncode == 0, done.stderr[-4000:]
    assert "Traceback" not in done.stdout + done.stderr
    # Every file read in a worker under 2 GiB (REKAP_MAX_MEMORY_PER_FILE) and 60 s; the whole command well
    # within what those bounds allow for its ~60 files, and no process anywhere near 2 GiB.
    assert run["peak"] < 2**31, run["peak"]
    assert run["seconds"] < 600


def test_every_hostile_file_is_accounted_for_with_its_rule_at_its_cell(run) -> None:
    root = run["root"]
    con = connect(root / "gudang" / "gudang-ke.duckdb", read_only=True)
    try:
        submissions = {
            Path(p).name: (h, status, rows)
            for p, h, status, rows in con.execute(
                "SELECT source_path, file_hash, status, rows_read FROM core.submission"
            ).fetchall()
        }
        issues = con.execute(
            "SELECT file_hash, aturan, sheet, baris, kolom FROM core.validation_issue"
        ).fetchall()
        pagu = dict(con.execute("SELECT file_hash, sum(pagu) FROM core.realisasi GROUP BY ALL").fetchall())
        passed_over = {
            Path(p).name for (p,) in con.execute("SELECT source_path FROM core.berkas_dilewati").fetchall()
        }
    finally:
        con.close()
    found = {}
    for h, aturan, sheet, baris, kolom in issues:
        found.setdefault(h, set()).add((aturan, sheet, baris, kolom))
    for case, path in run["hostile"].values():
        if path.name.startswith("~$"):  # an Office lock file's name: not read, listed with why
            assert path.name in passed_over, case.name
            continue
        assert path.name in submissions, case.name
        file_hash, status, rows = submissions[path.name]
        assert status == ("ditolak" if case.rejected else "diterima"), (case.name, found.get(file_hash))
        if case.rule:
            assert {(case.rule, *cell) for cell in case.cells} <= found.get(file_hash, set()), (
                case.name,
                found.get(file_hash),
            )
        if not case.rejected and case.rows is not None:
            assert rows == case.rows, case.name
        if not case.rejected and case.pagu_sen is not None:
            assert pagu[file_hash] == Decimal(case.pagu_sen) / 100, case.name


def test_the_good_files_load_with_exact_totals(run) -> None:
    root = run["root"]
    con = connect(root / "gudang" / "gudang-ke.duckdb", read_only=True)
    try:
        got = con.execute(
            "SELECT s.nama_berkas, s.status, s.rows_read, sum(r.pagu) FROM core.submission s LEFT JOIN "
            "core.realisasi r USING (file_hash) WHERE s.nama_berkas IN (SELECT unnest(?)) GROUP BY ALL",
            [GOOD],
        ).fetchall()
    finally:
        con.close()
    from rekap.cli.periksa import check_files

    alone = {}
    for name in GOOD:  # each good file as `rekap periksa` reads it alone
        (verdict,) = check_files([SAMPLE_DIR / "tw3" / name], "36.02")
        assert verdict.diterima
        alone[name] = len(verdict.parsed.rows)
    assert {(n, s, r) for n, s, r, _ in got} == {(n, "diterima", alone[n]) for n in GOOD}
    assert all(total > 0 for *_, total in got)


def test_the_report_files_are_the_report_and_nothing_is_written_elsewhere(run) -> None:
    root = run["root"]
    new = _files(root) - run["before"]
    outside = {p for p in new if p.parts[0] not in ("gudang", "laporan")}
    assert outside == set()
    report = root / "laporan" / "laporan-ke_36.02_2024_tw3.xlsx"
    assert openpyxl.load_workbook(report, read_only=True).sheetnames[0].startswith("T0")
    for suffix in ("html", "pdf"):
        assert report.with_suffix(f".{suffix}").stat().st_size > 0
    names = {p.name for p in (root / "laporan").iterdir() if p.is_file()}
    record = ".sidik-laporan_2024_tw3.json"  # what the folder holds, for the next run (rekap.report.sidik)
    assert names == {f"laporan-ke_36.02_2024_tw3.{s}" for s in ("xlsx", "html", "pdf")} | {record}
    letters = [p.name for p in (root / "laporan" / "surat").iterdir() if p.is_file()]
    assert all(n.startswith(("surat-36.02_", "ringkasan-tindak-lanjut_36.02_")) for n in letters), letters
