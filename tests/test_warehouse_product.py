"""The warehouse as a product: readers never blocked nor shown half a quarter, crash safety under
SIGKILL, idempotent reruns, lineage, province roll-up, DuckDB 1.5 clients, Parquet export."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

from rekap.report.build import build_report, write_report
from rekap.report.lineage import export_parquet, lineage
from rekap.settings import REPO, SAMPLE_DIR
from rekap.warehouse.store import connect
from tests.builders import identity, row, run_quarter, write_xlsx

DAFTAR = SAMPLE_DIR / "daftar_opd.csv"
MARTS = ("realisasi_rinci", "rekap_opd", "rekap_strategi", "asal", "rekap_provinsi")
SNAPSHOT_SQL = (
    "SELECT (SELECT count(*) FROM core.submission), "
    "(SELECT sum(realisasi_kumulatif)::VARCHAR FROM mart.rekap_opd WHERE triwulan = "
    "(SELECT max(triwulan) FROM mart.rekap_opd))"
)


def snapshot(warehouse: Path) -> tuple:
    con = connect(warehouse, read_only=True)
    try:
        return tuple(con.execute(SNAPSHOT_SQL).fetchone())
    finally:
        con.close()


def marts(warehouse: Path) -> dict[str, list[tuple]]:
    con = connect(warehouse, read_only=True)
    try:
        return {t: con.table(f"mart.{t}").order("ALL").fetchall() for t in MARTS}
    finally:
        con.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_readers_are_never_blocked_and_never_see_half_a_quarter(tmp_path):
    warehouse = tmp_path / "gudang.duckdb"
    run_quarter(SAMPLE_DIR / "tw1", warehouse, 2024, 1, DAFTAR)
    complete = {snapshot(warehouse)}
    log = tmp_path / "reader.log"
    reader = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import time, duckdb
            end = time.time() + 600
            with open({str(log)!r}, "w") as out:
                while time.time() < end:
                    try:
                        con = duckdb.connect({str(warehouse)!r}, read_only=True)
                        out.write(repr(tuple(con.execute({SNAPSHOT_SQL!r}).fetchone())) + "\\n")
                        con.close()
                    except Exception as exc:
                        out.write("ERROR " + repr(exc) + "\\n")
                    out.flush()
            """)],
    )  # fmt: skip
    try:
        time.sleep(1)
        for q, folder in ((2, "tw2"), (3, "tw3")):
            run_quarter(SAMPLE_DIR / folder, warehouse, 2024, q, DAFTAR)
            complete.add(snapshot(warehouse))
        time.sleep(1)
    finally:
        reader.kill()
        reader.wait()
    lines = log.read_text().splitlines()
    errors = [line for line in lines if line.startswith("ERROR")]
    assert not errors, errors[:3]
    seen = {eval(line) for line in lines}
    assert len(lines) > 20 and seen <= complete and len(seen) >= 2


KILL_SCRIPT = """
import sys
from pathlib import Path
from tests.builders import run_quarter
run_quarter(Path(sys.argv[1]), Path(sys.argv[2]), 2024, int(sys.argv[3]), Path(sys.argv[4]))
"""


# Reading happens in worker processes a file may kill without stopping the run (tests/test_isolation.py).
@pytest.mark.parametrize("stage", ["mulai", "muat", "rekap", "sebelum-terbit", "setelah-terbit"])
def test_sigkill_at_any_stage_leaves_the_published_warehouse_whole(tmp_path, stage):
    source = tmp_path / "kiriman"
    few = "36.02_2024_TW{q}_[12]*"  # four OPDs a quarter keep the five kills fast
    for q in (1, 2):
        (source / f"tw{q}").mkdir(parents=True)
        for path in (SAMPLE_DIR / f"tw{q}").glob(few.format(q=q)):
            shutil.copy(path, source / f"tw{q}")
    warehouse = tmp_path / "gudang.duckdb"
    run_quarter(source / "tw1", warehouse, 2024, 1, DAFTAR)
    before = digest(warehouse)
    env = {**os.environ, "REKAP_UJI_MATI_DI": stage}
    args = [sys.executable, "-c", KILL_SCRIPT, str(source), str(warehouse), "2", str(DAFTAR)]
    killed = subprocess.run(args, cwd=REPO, env=env, capture_output=True, timeout=300)
    assert killed.returncode == -9, killed.stderr.decode()[-2000:]
    if stage == "setelah-terbit":
        assert digest(warehouse) != before  # killed after the publish: the new state is whole
    else:
        assert digest(warehouse) == before
    snapshot(warehouse)  # opens and answers
    run_quarter(source, warehouse, 2024, 2, DAFTAR)
    clean = tmp_path / "bersih.duckdb"
    run_quarter(source, clean, 2024, 2, DAFTAR)
    assert marts(warehouse) == marts(clean)


def test_rerun_leaves_marts_and_report_files_identical(tmp_path):
    warehouse, out = tmp_path / "gudang.duckdb", tmp_path / "laporan"
    run_quarter(SAMPLE_DIR, warehouse, 2024, 3, DAFTAR)

    def report_bytes() -> dict[str, bytes]:
        con = connect(warehouse, read_only=True)
        paths = write_report(build_report(con, "36.02", 2024, 3), out)
        con.close()
        return {p.name: p.read_bytes() for p in paths}

    first_marts, first_files = marts(warehouse), report_bytes()
    assert run_quarter(SAMPLE_DIR, warehouse, 2024, 3, DAFTAR).files_new == 0
    assert marts(warehouse) == first_marts
    assert report_bytes() == first_files
    # A warehouse rebuilt from scratch from the same inputs has the same marts.
    rebuilt = tmp_path / "ulang.duckdb"
    run_quarter(SAMPLE_DIR, rebuilt, 2024, 3, DAFTAR)
    assert marts(rebuilt) == first_marts


def test_lineage_returns_the_exact_file_rows_behind_a_figure(tmp_path):
    warehouse = tmp_path / "gudang.duckdb"
    run_quarter(SAMPLE_DIR, warehouse, 2024, 3, DAFTAR)
    con = connect(warehouse, read_only=True)
    figure = con.execute(
        "SELECT kode_skpd, kode_sub_kegiatan, sumber_dana, realisasi_kumulatif FROM mart.realisasi_rinci "
        "WHERE triwulan = 3 AND kode_skpd = '1.06.0.00.0.00.01.0000' ORDER BY ALL LIMIT 1"
    ).fetchone()
    names, rows = lineage(con, "36.02", 2024, 3, *figure[:3])
    con.close()
    rows = [dict(zip(names, r, strict=True)) for r in rows]
    assert [r["triwulan_berkas"] for r in rows] == [1, 2, 3]
    assert rows[-1]["peran"] == "triwulan ini"
    for r in rows:  # each named row of each named file really holds that sub kegiatan
        path = Path(r["source_path"])
        sheet = openpyxl.load_workbook(path, read_only=True, data_only=True)[r["sheet"]]
        cells = [str(c).replace(" ", "").rstrip(".") for c in next(sheet.iter_rows(
            min_row=r["baris"], max_row=r["baris"], values_only=True)) if c is not None]  # fmt: skip
        assert figure[1] in cells, (path.name, r["baris"], cells)
    assert rows[-1]["realisasi_kumulatif"] in (None, figure[3])


def test_province_view_rolls_up_its_kab_kota(tmp_path):
    source, warehouse = tmp_path / "src", tmp_path / "gudang.duckdb"
    pemda = {"36": ("Provinsi Banten", 5_000), "36.01": ("Kabupaten Pandeglang", 700),
             "36.02": ("Kabupaten Lebak", 300), "32.01": ("Kabupaten Bogor", 999)}  # fmt: skip
    for kode, (nama, kum) in pemda.items():
        ident = identity(1, **{"Kode Pemda": kode, "Nama Pemda": nama})
        lokasi = f"{kode}.01" if "." in kode else f"{kode}.01.01"
        write_xlsx(source / f"{kode}_TW1.xlsx", ident, [row(pagu=10_000, tw=kum, kum=kum, lokasi=lokasi)])
    from rekap.intake.folder import pull_local
    from rekap.load.load import load_and_roll_up, new_run_id
    from rekap.validation.batch import parse_all, validate_run

    incoming = pull_local(source, tmp_path / "mentah", set())
    checked = validate_run(parse_all(incoming), incoming, 2024, 1, None)
    summary = load_and_roll_up(checked, warehouse, None, new_run_id())
    assert summary.accepted == 4 and summary.pemda == ["32.01", "36", "36.01", "36.02"]
    con = connect(warehouse, read_only=True)
    banten = con.execute(
        "SELECT kode_pemda, tingkat, realisasi_kumulatif FROM mart.rekap_provinsi "
        "WHERE kode_provinsi = '36' AND tahun = 2024 AND triwulan = 1 ORDER BY kode_pemda"
    ).fetchall()
    total = con.execute(
        "SELECT sum(realisasi_kumulatif), sum(pagu) FROM mart.rekap_provinsi WHERE kode_provinsi = '36'"
    ).fetchone()
    con.close()
    expected = [("36", "provinsi", 5_000), ("36.01", "kabupaten/kota", 700), ("36.02", "kabupaten/kota", 300)]
    assert [(k, t, int(v)) for k, t, v in banten] == expected
    assert (int(total[0]), int(total[1])) == (6_000, 30_000)


def _duckdb15() -> Path | None:
    target = REPO / ".venv" / "duckdb-1.5"
    return target if (target / "duckdb").is_dir() else None


@pytest.mark.skipif(_duckdb15() is None, reason="duckdb 1.5 client not installed (tests/run.sh installs it)")
def test_published_file_opens_in_a_duckdb_1_5_client(tmp_path):
    warehouse = tmp_path / "gudang.duckdb"
    run_quarter(SAMPLE_DIR / "tw1", warehouse, 2024, 1, DAFTAR)
    script = (
        "import duckdb, sys; assert duckdb.__version__.startswith('1.5'), duckdb.__version__; "
        "con = duckdb.connect(sys.argv[1], read_only=True); "
        "print(con.execute('SELECT count(*), sum(pagu)::VARCHAR FROM mart.rekap_opd').fetchone())"
    )
    env = {**os.environ, "PYTHONPATH": str(_duckdb15())}
    done = subprocess.run(
        [sys.executable, "-c", script, str(warehouse)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    con = connect(warehouse, read_only=True)
    expected = con.execute("SELECT count(*), sum(pagu)::VARCHAR FROM mart.rekap_opd").fetchone()
    con.close()
    assert done.stdout.strip() == repr(tuple(expected))


def test_marts_export_to_parquet(tmp_path):
    warehouse = tmp_path / "gudang.duckdb"
    run_quarter(SAMPLE_DIR / "tw1", warehouse, 2024, 1, DAFTAR)
    paths = export_parquet(warehouse, tmp_path / "parquet")
    assert {p.stem for p in paths} >= {"realisasi_rinci", "rekap_opd", "rekap_strategi", "asal"}
    con = connect(warehouse, read_only=True)
    for path in paths:
        exported = con.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchall()[0]
        assert exported == con.table(f"mart.{path.stem}").aggregate("count(*)").fetchall()[0]
    con.close()


def test_two_runs_at_once_queue_on_the_writer_lock_and_load_each_file_once(tmp_path):
    source = tmp_path / "kiriman"
    source.mkdir()
    for path in (SAMPLE_DIR / "tw1").glob("36.02_2024_TW1_[12]*"):
        shutil.copy(path, source)
    warehouse = tmp_path / "gudang.duckdb"
    args = [sys.executable, "-c", KILL_SCRIPT, str(source), str(warehouse), "1", str(DAFTAR)]
    runs = [subprocess.Popen(args, cwd=REPO, stderr=subprocess.PIPE) for _ in range(2)]
    for run in runs:
        assert run.wait(timeout=300) == 0, run.stderr.read().decode()[-2000:]
    clean = tmp_path / "bersih.duckdb"
    run_quarter(source, clean, 2024, 1, DAFTAR)
    assert marts(warehouse) == marts(clean)
    assert snapshot(warehouse) == snapshot(clean)
