"""The benchmark's tools: `bench.compare` on two small output folders, and `bench.klon`'s clones."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from bench import compare, klon
from rekap.cli.periksa import check_files
from rekap.reading.reader import read_submission


def _output(folder: Path, run_id: str, started: str, realisasi: int, staged: int) -> Path:
    """A run's output folder: a warehouse with a core table and a staging one, a page, a workbook."""
    folder.mkdir()
    con = duckdb.connect(str(folder / "gudang-ke.duckdb"))
    con.execute("CREATE SCHEMA core")
    con.execute("CREATE SCHEMA staging")
    con.execute(
        "CREATE TABLE core.submission (file_hash VARCHAR, run_id VARCHAR, received_at TIMESTAMP, "
        "tanggal_laporan DATE, realisasi DECIMAL(18,2))"
    )
    con.execute(
        "INSERT INTO core.submission VALUES ('aa', ?, ?, DATE '2024-04-08', 100.50), ('bb', ?, ?, NULL, ?)",
        [run_id, started, run_id, started, realisasi],
    )
    con.execute("CREATE TABLE staging.baris AS SELECT ? AS n", [staged])
    con.execute("CREATE VIEW core.jumlah AS SELECT sum(realisasi) AS realisasi FROM core.submission")
    con.close()
    (folder / "laporan").mkdir()
    (folder / "laporan" / "laporan-ke.html").write_text("<p>Rp1.250.000</p>\n", encoding="utf-8")
    with zipfile.ZipFile(folder / "laporan" / "laporan-ke.xlsx", "w") as xlsx:
        xlsx.writestr(zipfile.ZipInfo("xl/worksheets/sheet1.xml", (1980, 1, 1, 0, 0, 0)), "<v>1250000</v>")
    (folder / "gudang-ke.duckdb.lock").write_text(run_id)
    return folder


@pytest.fixture
def two_runs(tmp_path: Path) -> tuple[Path, Path]:
    """Two outputs of the same run: other run ids, times and staging rows; everything else equal."""
    a = _output(tmp_path / "a", "run-1", "2026-01-10 07:00:01", 200, staged=1)
    b = _output(tmp_path / "b", "run-2", "2026-01-10 07:05:42", 200, staged=2)
    return a, b


def test_same_run_twice_compares_equal(two_runs: tuple[Path, Path], capsys: pytest.CaptureFixture) -> None:
    a, b = two_runs
    result = compare.compare_folders(a, b)
    assert result.differences == []
    assert "gudang-ke.duckdb: core.submission.received_at (TIMESTAMP)" in result.ignored
    assert "gudang-ke.duckdb: core.submission.run_id (a run's id, by name)" in result.ignored
    assert "gudang-ke.duckdb: core.jumlah: 1 rows equal" in result.equal
    assert not any("staging" in line for line in result.equal + result.ignored)
    assert compare.main([str(a), str(b)]) == 0
    assert "No difference." in capsys.readouterr().out


def test_one_row_differs(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    a = _output(tmp_path / "a", "run-1", "2026-01-10 07:00:01", 200, staged=1)
    b = _output(tmp_path / "b", "run-1", "2026-01-10 07:00:01", 201, staged=1)
    result = compare.compare_folders(a, b)
    text = "\n".join(result.differences)
    assert "gudang-ke.duckdb: core.submission: 2 rows in A, 2 in B; 1 only in A, 1 only in B" in text
    assert "only in A: ('bb', None, Decimal('200.00'))" in text
    assert "only in B: ('bb', None, Decimal('201.00'))" in text
    assert "core.jumlah" in text  # the view over it too
    assert compare.main([str(a), str(b)]) == 1
    assert "DIFFERENT:" in capsys.readouterr().out


def test_one_byte_differs(two_runs: tuple[Path, Path]) -> None:
    a, b = two_runs
    (b / "laporan" / "laporan-ke.html").write_text("<p>Rp1.250.001</p>\n", encoding="utf-8")
    with zipfile.ZipFile(b / "laporan" / "laporan-ke.xlsx", "w") as xlsx:
        xlsx.writestr(zipfile.ZipInfo("xl/worksheets/sheet1.xml", (1980, 1, 1, 0, 0, 0)), "<v>1250001</v>")
    result = compare.compare_folders(a, b)
    assert (
        result.differences[0]
        == "laporan/laporan-ke.html: 19 bytes in A, 19 in B; first difference at byte 13"
    )
    assert "    member xl/worksheets/sheet1.xml: content differs at byte 9" in result.differences
    assert compare.main([str(a), str(b)]) == 1


def test_a_file_missing_on_one_side(two_runs: tuple[Path, Path]) -> None:
    a, b = two_runs
    (a / "laporan" / "laporan-ke.html").unlink()
    assert compare.compare_folders(a, b).differences == ["laporan/laporan-ke.html: only in B"]


def test_first_difference() -> None:
    assert compare.first_difference(b"abc", b"abc") is None
    assert compare.first_difference(b"abcdef", b"abcxef") == 3
    assert compare.first_difference(b"abc", b"abcd") == 3
    assert compare.first_difference(b"", b"x") == 0


def test_a_cloned_file_is_a_submission_of_its_new_pemda(tmp_path: Path) -> None:
    [pemda] = klon.clone_codes(1)
    sources = [
        klon.SOURCE / "36.02_2024_TW1_1.06.0.00.0.00.01.0000_Dinas-Sosial.xlsx",
        klon.SOURCE / "realisasi_ke_diskan_tw1.csv",
    ]
    clones = [c for source in sources for c in klon.clone_file(source, [pemda], tmp_path / "klon")]
    assert [c.name for c in clones] == [
        f"{pemda.kode}_2024_TW1_1.06.0.00.0.00.01.0000_Dinas-Sosial.xlsx",
        "realisasi_ke_diskan_tw1.csv",
    ]
    daftar = tmp_path / "daftar_opd.csv"
    daftar.write_text(klon.cloned_daftar_opd([pemda]), encoding="utf-8")

    verdicts = check_files(clones, pemda.kode, daftar)
    as_lebak = check_files(sources, klon.KODE_ASAL, klon.DAFTAR_OPD)
    for source, verdict, lebak in zip(sources, verdicts, as_lebak, strict=True):
        original = read_submission(source)
        assert verdict.diterima, verdict.findings[["aturan", "pesan"]].to_string()
        # Lokasi codes land on the new pemda's own kecamatan and desa: no warning Lebak's file does not have.
        assert verdict.warnings <= lebak.warnings
        assert set(verdict.findings["aturan"]) <= set(lebak.findings["aturan"])
        assert len(verdict.parsed.rows) == len(original.rows) > 0
        assert verdict.parsed.identity["kode_pemda"] == pemda.kode
        assert verdict.parsed.identity["nama_pemda"] == pemda.nama
        lokasi = {str(r["lokasi"]) for r in verdict.parsed.rows} - {"SEMUA"}
        assert lokasi and all(code.startswith(pemda.kode + ".") for v in lokasi for code in v.split(";"))


def test_clones_depend_on_content_only(tmp_path: Path) -> None:
    """Two files with the same bytes (one submission sent twice) stay one submission in the clones."""
    pemda = klon.clone_codes(2)
    source = klon.SOURCE / "36.02_2024_TW1_1.06.0.00.0.00.01.0000_Dinas-Sosial.xlsx"
    twice = tmp_path / "lagi" / "Laporan KE Dinsos.xlsx"
    twice.parent.mkdir()
    shutil.copyfile(source, twice)
    first = klon.clone_file(source, pemda, tmp_path / "a")
    second = klon.clone_file(twice, pemda, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert first[0].read_bytes() != first[1].read_bytes()


def test_a_code_the_cloner_does_not_know_stops_it(tmp_path: Path) -> None:
    source = tmp_path / "36.02_aneh.csv"
    source.write_text("kode_pemda,lokasi,keterangan\n36.02,36.02.01,lihat 36.02.05\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"still names 36\.02"):
        klon.clone_file(source, klon.clone_codes(1), tmp_path / "klon")


def test_a_profile_is_read_by_process_role(tmp_path: Path) -> None:
    from bench.profil import summarize

    command = 'process 10:"/v/bin/python3.11 /v/bin/rekap run --source s"'
    readers = 'process 12:"/v/bin/python3.11 -B -c from multiprocessing.forkserver import main; main(4, 7)"'
    profile = tmp_path / "profil.txt"
    profile.write_text(
        f"{command};main (rekap/cli.py:400);import_module (importlib/__init__.py:126) 30\n"
        f"{command};{readers};check (rekap/isolation.py:10);read_submission (rekap/reading.py:150) 250\n"
        f"{command};{readers};check (rekap/isolation.py:11);gx (great_expectations/x.py:1) 100\n",
        encoding="utf-8",
    )
    text = summarize(profile)
    assert text.startswith("profil.txt: 3.8 s of samples")
    assert "\nreaders (fork server and its workers): 3.5 s\n" in text
    assert "       3.50 s  check (rekap/isolation.py)\n" in text  # both lines of one function
    assert "       2.50 s  read_submission (rekap/reading.py)\n" in text
    assert "\nrekap run: 0.3 s\n" in text


_BURN = "import time\nend = time.process_time() + {seconds}\nwhile time.process_time() < end: pass\n"


def test_cpu_is_counted_per_process_and_role_in_a_window(tmp_path: Path) -> None:
    """`PeakMemory` records the CPU of each process of a tree and of another tree (`also`), counting the
    other tree's only from when the measure starts, and `cpu_by_stage` puts it under the process's role
    and the stage it was spent in."""
    import subprocess
    import sys
    import time

    from bench.cli import cpu_by_stage
    from bench.run import PeakMemory

    # Another tree, like a running Prefect server: it spends CPU before the measure and none during it.
    server = subprocess.Popen(
        [sys.executable, "-c", _BURN.format(seconds=0.5) + "time.sleep(30)\n", "prefect server start"]
    )
    time.sleep(0.8)
    forked = (
        "import os, sys\n" + _BURN.format(seconds=0.6) + "if os.fork() == 0:\n"
        "    " + _BURN.format(seconds=0.6).replace("\n", "\n    ") + "\n    os._exit(0)\nos.wait()\n"
        "time.sleep(0.3)\n"
    )
    try:
        started = time.time()
        command = subprocess.Popen([sys.executable, "-c", forked, "rekap", "run"])
        with PeakMemory(interval=0.05, root=command.pid, also=(server.pid,)) as memory:
            command.wait()
        ended = time.time() - started
    finally:
        server.kill()
        server.wait()
    assert command.returncode == 0
    spent = memory.cpu_between(started, started + ended)
    assert spent.get(server.pid, 0.0) < 0.1  # the 0.5 s before the measure are not counted
    child = next(pid for pid in spent if pid not in (command.pid, server.pid))
    assert memory.lineage(child)[0] == memory.lineage(command.pid)[0]  # its parent's command line first
    assert 0.45 < spent[command.pid] < 0.9 and 0.45 < spent[child] < 0.9
    by_stage = cpu_by_stage(memory, started, {"start": ended / 2, "pull": ended})
    assert set(by_stage) == {"start", "pull", "check", "load", "reports", "end"}
    whole = {role: sum(stage[role] for stage in by_stage.values()) for role in by_stage["start"]}
    assert 0.45 < whole["command"] < 0.9  # the command itself
    assert 0.45 < whole["report workers"] < 0.9  # its fork, as the report pool's workers are
    assert whole["server"] < 0.1
    assert by_stage["check"] == dict.fromkeys(by_stage["check"], 0.0)  # ended with the pull: nothing left


def test_the_stages_are_read_from_the_runs_own_log() -> None:
    import time

    from bench.cli import logged_ends

    started = time.mktime((2026, 12, 4, 21, 17, 46, 0, 0, -1)) + 0.25
    log = (
        "Server Prefect sementara berjalan di http://127.0.0.1:42597/api\n"
        "21:17:49.250 | INFO    | Flow run 'girlish-yak' - Beginning flow run 'girlish-yak'\n"
        "21:17:49.369 | INFO    | Task run 'tarik-berkas-113' - Sumber /x/tw1: 19 berkas ditemukan\n"
        "21:17:50.119 | INFO    | Task run 'baca-dan-validasi-e5f' - Dibaca: KE - Sumber air.xlsx (9 baris)\n"
        "21:17:50.143 | INFO    | Task run 'baca-dan-validasi-e5f' - Dibaca dan divalidasi: 18 berkas\n"
        "21:17:52.000 | INFO    | Task run 'baca-dan-validasi-a01' - Dibaca dan divalidasi: 3 berkas\n"
        "21:17:53.058 | INFO    | Task run 'muat-dan-rekap-479' - Gudang data diterbitkan: /x/g.duckdb\n"
    )
    ends = logged_ends(log, started)
    assert ends == pytest.approx({"start": 3.0, "pull": 3.119, "check": 5.75, "load": 6.808}, abs=0.002)
