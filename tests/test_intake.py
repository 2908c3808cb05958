"""Every file under the source is accounted for: read (accepted or rejected with its reason), already
recorded, set aside for another quarter, or not a submission, listed with why in the run's summary, the
warehouse and the steward's follow-up list. Nothing is skipped silently."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from rekap.settings import SAMPLE_DIR
from rekap.warehouse.store import connect

DINSOS_TW1 = "36.02_2024_TW1_1.06.0.00.0.00.01.0000_Dinas-Sosial.xlsx"
DINSOS_TW2 = "36.02_2024_TW2_1.06.0.00.0.00.01.0000_Dinas-Sosial.xlsx"
DINKES_TW1 = "Laporan KE Dinkes TW I.xlsx"


@pytest.fixture(scope="module")
def run(prefect_api, tmp_path_factory: pytest.TempPathFactory):
    """One TW I run over a folder holding a little of everything a shared folder collects."""
    from flows.triwulan import rekap_triwulan

    root = tmp_path_factory.mktemp("sumber")
    src = root / "berkas"
    (src / "tw1").mkdir(parents=True)
    shutil.copy(SAMPLE_DIR / "tw1" / DINSOS_TW1, src / "tw1" / DINSOS_TW1)
    # A real report whose name arrived mangled from a Windows upload: it starts with a dot.
    shutil.copy(SAMPLE_DIR / "tw1" / DINKES_TW1, src / "tw1" / "..\\..\\laporan_tw1.xlsx")
    shutil.copy(SAMPLE_DIR / "tw2" / DINSOS_TW2, src / "tw1" / DINSOS_TW2)  # a later quarter, early
    (src / "tw1" / "~$Laporan KE Dinkes TW I.xlsx").write_bytes(b"\x00" * 165)
    (src / "tw1" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (src / "tw1" / "foto kegiatan.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    shutil.copy(SAMPLE_DIR / "daftar_opd.csv", src / "daftar_opd.csv")  # the OPD list, not a report
    (src / ".git").mkdir()
    (src / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    outside = root / "rahasia.txt"
    outside.write_text("bukan untuk dibaca\n")
    os.symlink(outside, src / "tw1" / "tautan.xlsx")
    os.symlink(root, src / "folder-tautan")
    summary = rekap_triwulan(
        source=str(src), tahun=2024, triwulan=1, pemda="36.02",
        warehouse=str(root / "gudang.duckdb"), out=str(root / "laporan"),
    )  # fmt: skip
    return src, root, summary


def test_every_file_is_read_set_aside_or_listed_with_why(run) -> None:
    src, root, summary = run
    reasons = {Path(p).name: why for p, why in summary.passed_over}
    assert reasons == {
        "~$Laporan KE Dinkes TW I.xlsx": (
            "berkas kunci Office (dokumen sedang terbuka di Excel), bukan laporan"
        ),
        ".DS_Store": "berkas sistem operasi, bukan laporan",
        "daftar_opd.csv": "daftar OPD (kolom kode_pemda, tahun, kode_skpd, nama_skpd), bukan laporan",
        ".git": "folder tersembunyi, tidak dibaca",
        "tautan.xlsx": "tautan ke luar folder sumber, tidak dibaca",
        "folder-tautan": "tautan ke luar folder sumber, tidak dibaca",
        DINSOS_TW2: "laporan triwulan 2 tahun 2024: dibaca pada rekap triwulan itu",
    }
    con = connect(root / "gudang.duckdb", read_only=True)
    try:
        loaded = dict(con.execute("SELECT nama_berkas, status FROM core.submission").fetchall())
        recorded = con.execute("SELECT nama_berkas, jenis FROM core.berkas_dilewati ORDER BY 1").fetchall()
    finally:
        con.close()
    assert loaded == {DINSOS_TW1: "diterima", "..\\..\\laporan_tw1.xlsx": "diterima",
                      "foto kegiatan.jpg": "ditolak"}  # fmt: skip
    assert len(recorded) == len(reasons) and ("daftar_opd.csv", "bukan laporan") in recorded
    on_disk = {p.name for p in src.rglob("*") if p.is_file() or p.is_symlink()} | {".git", "folder-tautan"}
    assert on_disk - {"HEAD"} == set(loaded) | set(reasons)
    assert summary.files_deferred == 1


def test_the_steward_list_names_the_files_not_read(run) -> None:
    _src, root, _summary = run
    page = (root / "laporan" / "surat" / "ringkasan-tindak-lanjut_36.02_2024_tw1.html").read_text("utf-8")
    assert "Berkas yang tidak dibaca pada rekap ini" in page
    for text in ("daftar_opd.csv", "tautan ke luar folder sumber", "berkas kunci Office", DINSOS_TW2):
        assert text in page
    assert "foto kegiatan.jpg" in page  # read, rejected: among the files without an OPD


def test_nothing_outside_the_source_was_copied_into_the_raw_store(run) -> None:
    _src, root, _summary = run
    secret = b"bukan untuk dibaca"
    assert not any(secret in p.read_bytes() for p in (root / "mentah").rglob("*") if p.is_file())


# --- quarter labels ----------------------------------------------------------------------------------


def _renamed(src: Path, sample: str, name: str, triwulan: object) -> Path:
    """A sample file under another name, its Identitas quarter set to `triwulan`."""
    wb = openpyxl.load_workbook(SAMPLE_DIR / sample)
    row = next(r for r in wb["Identitas"].iter_rows() if r[0].value == "Triwulan")
    row[1].value = triwulan
    path = src / name
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("name", "sheet", "verdict"),
    [
        ("36.02_2024_TW3_1.06.0.00.0.00.01.0000_Dinas-Sosial.xlsx", "IV", ("ditolak", 3, "I09")),
        ("Laporan Dinsos TW III.xlsx", 2, ("ditolak", 3, "I09")),
        ("Laporan Dinsos TW 2.xlsx", 3, ("ditolak", 2, "I09")),
        ("Dinsos revisi TW2 ke TW3.xlsx", 3, ("diterima", 3, None)),
        ("Dinsos TW3 turun dari tw2.xlsx", 3, None),
        ("Dinsos realisasi turun dari tw2.xlsx", 3, ("diterima", 3, None)),
    ],
)
def test_a_quarter_in_the_name_that_contradicts_the_sheet_is_rejected_not_set_aside(
    tmp_path: Path, name: str, sheet: object, verdict: tuple | None
) -> None:
    """A name stating one quarter and a sheet stating another: rejected at once with both values (I09),
    under the quarter of the run it belongs to, whichever of the two is later; a name that mentions two
    quarters, or one as a reference, states none."""
    from rekap.intake.folder import pull_local
    from rekap.load.load import load_and_roll_up, new_run_id
    from rekap.validation.batch import parse_all, validate_run

    src = tmp_path / "berkas"
    src.mkdir()
    _renamed(src, "tw3/36.02_2024_TW3_1.06.0.00.0.00.01.0000_Dinas-Sosial.xlsx", name, sheet)
    incoming = pull_local(src, tmp_path / "mentah", set())
    checked = validate_run(parse_all(incoming), incoming, 2024, 3, "36.02")
    load_and_roll_up(checked, tmp_path / "g.duckdb", None, new_run_id())
    con = connect(tmp_path / "g.duckdb", read_only=True)
    try:
        got = con.execute(
            "SELECT s.status, s.triwulan, i.aturan FROM core.submission s "
            "LEFT JOIN core.validation_issue i ON i.file_hash = s.file_hash AND i.tingkat = 'error'"
        ).fetchall()
        status = con.execute(
            "SELECT status FROM mart.rekap_opd WHERE triwulan = ? AND kode_skpd = '1.06.0.00.0.00.01.0000'",
            [verdict[1] if verdict else 3],
        ).fetchall()
    finally:
        con.close()
    if verdict is None:  # "TW3 ... dari tw2": two quarters named, none stated; the sheet's TW III is taken
        assert got == [("diterima", 3, None)]
        return
    assert got == [verdict]
    assert status == [(verdict[0],)]  # T6 and T2 say what happened to the file, not "belum menyampaikan"


# --- the run's own settings ---------------------------------------------------------------------------


def _data(warehouse: Path) -> dict[str, list[tuple]]:
    """Every table of the warehouse but the run log, without the columns naming a run or a time."""
    con = connect(warehouse, read_only=True)
    try:
        tables = con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
            "WHERE schema_name IN ('core', 'mart') AND table_name <> 'run' ORDER BY 1"
        ).fetchall()
        data = {}
        for (table,) in tables:
            columns = [
                c for (c,) in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE schema_name || '.' || table_name = ? "
                    "AND column_name NOT IN ('run_id', 'received_at', 'started_at') ORDER BY column_index",
                    [table],
                ).fetchall()
            ]  # fmt: skip
            data[table] = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL").fetchall()
        return data
    finally:
        con.close()


def test_a_wrong_pemda_then_the_right_one_gives_the_warehouse_of_the_right_one_alone(tmp_path: Path) -> None:
    """A steward's typo (another pemda's code, well formed) rejects every file with I10; those rejections
    come from the run's settings, so the corrected run reads the files again instead of skipping them."""
    from rekap.intake.folder import pull_local
    from rekap.load.load import load_and_roll_up, new_run_id
    from rekap.runtime import check_files
    from rekap.warehouse.store import seen_hashes

    def run(warehouse: Path, pemda: str):
        incoming = pull_local(SAMPLE_DIR / "tw1", tmp_path / "mentah", seen_hashes(warehouse))
        checked = check_files(incoming, 2024, 1, pemda)
        return load_and_roll_up(checked, warehouse, SAMPLE_DIR / "daftar_opd.csv", new_run_id())

    wrong = run(tmp_path / "gudang.duckdb", "36.03")
    assert (wrong.accepted, wrong.rejected) == (0, 18)
    right = run(tmp_path / "gudang.duckdb", "36.02")
    assert (right.files_new, right.accepted, right.rejected) == (18, 18, 0)
    run(tmp_path / "sekali.duckdb", "36.02")
    assert _data(tmp_path / "gudang.duckdb") == _data(tmp_path / "sekali.duckdb")
