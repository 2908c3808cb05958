"""One run over a folder that mixes good, defective and hostile files: the run finishes, the good files
are loaded, every row is accounted for, and every rejected OPD gets exactly one letter that points at its
cells; the steward's summary names whom to call about what."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from rekap.files import sha256_of
from rekap.intake.folder import pull_local
from rekap.load.load import load_and_roll_up, new_run_id, open_published
from rekap.report.letters import (
    build_letters,
    build_letters_of,
    build_summaries,
    build_summary,
    write_letters,
)
from rekap.settings import SAMPLE_DIR
from rekap.validation.batch import parse_all, validate_run
from rekap.warehouse.store import connect, seen_hashes
from tests.corpus import CASE_BY_ID, PEMDA, TAHUN, TRIWULAN, base_submission, write_xlsx

GOOD_SAMPLE = [
    "36.02_2024_TW3_1.06.0.00.0.00.01.0000_Dinas-Sosial.xlsx",
    "KE_Diskominfo_TW3_2024.csv",
    "LAPORAN KE DISTAN TRIWULAN III.xlsx",
]
# Defective OPDs (each its own Kode SKPD): the case, and whether the file is still accepted.
DEFECTIVE = {
    "R08-kumulatif-over-pagu": False,
    "R05-pagu-words": False,
    "I09-name-says-tw2": False,
    "R11-duplicate-key": False,
    "F11-formula-without-value": False,
    "W02-code-trailing-dot": True,
}
HOSTILE = [
    "F02-not-a-zip",
    "F03-password",
    "F04-zip-bomb-ratio",
    "F05-empty",
    "F10-csv-latin1",
    "F07-csv-tab",
]
HOSTILE_VALUE = '=HYPERLINK("http://contoh.invalid","klik")'
HOSTILE_NAME = "Dinas <script>alert(1)</script> Uji"
MISSING_OPD = ("7.01.0.00.0.00.99.0000", "Dinas Yang Belum Melapor")


def _skpd(n: int) -> str:
    return f"7.01.0.00.0.00.{n:02d}.0000"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("campuran")
    src = root / "berkas"
    src.mkdir()
    good: list[Path] = []
    if (SAMPLE_DIR / "tw3").is_dir():
        for name in GOOD_SAMPLE:
            good.append(Path(shutil.copy(SAMPLE_DIR / "tw3" / name, src / name)))
    else:  # the bundled sample is not there: generate good files instead
        for n in range(3):
            good.append(CASE_BY_ID["valid-xlsx"].build(src / f"baik{n}", kode_skpd=_skpd(80 + n)))
    defective: dict[str, tuple[str, Path]] = {}
    for n, case_id in enumerate(DEFECTIVE, start=1):
        path = CASE_BY_ID[case_id].build(src / case_id, kode_skpd=_skpd(n), nama_skpd=f"Dinas Uji {n}")
        defective[case_id] = (_skpd(n), path)
    # An OPD-typed formula and markup, to be shown inert in the letters.
    sub = base_submission(kode_skpd=_skpd(20), nama_skpd=HOSTILE_NAME)
    sub.set(3, "D", HOSTILE_VALUE)
    defective["R03-hostile-text"] = (_skpd(20), write_xlsx(sub, src / "hostile" / sub.name("xlsx")))
    hostile = {case_id: CASE_BY_ID[case_id].build(src / case_id) for case_id in HOSTILE}

    daftar = root / "daftar_opd.csv"
    listed = [("1.06.0.00.0.00.01.0000", "Dinas Sosial"), MISSING_OPD]
    listed += [(kode, f"Dinas Uji {kode}") for kode, _ in defective.values()]
    with daftar.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["kode_pemda", "tahun", "kode_skpd", "nama_skpd"],
                                  *[[PEMDA, TAHUN, k, n] for k, n in listed]])  # fmt: skip

    warehouse = root / "gudang.duckdb"
    incoming = pull_local(src, root / "mentah", set())
    parsed = parse_all(incoming)
    checked = validate_run(parsed, incoming, TAHUN, TRIWULAN, PEMDA)
    summary = load_and_roll_up(checked, warehouse, daftar, new_run_id())
    con = open_published(warehouse)
    try:
        paths = write_letters(con, PEMDA, TAHUN, TRIWULAN, root / "laporan")
    finally:
        con.close()
    return {"root": root, "good": good, "defective": defective, "hostile": hostile, "parsed": parsed,
            "summary": summary, "warehouse": warehouse, "paths": paths}  # fmt: skip


def query(warehouse: Path, sql: str, *params):
    con = connect(warehouse, read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_run_finishes_and_loads_the_good_files(mixed) -> None:
    summary, wh = mixed["summary"], mixed["warehouse"]
    status = dict(query(wh, "SELECT file_hash, status FROM core.submission"))
    for path in mixed["good"]:
        assert status[sha256_of(path)] == "diterima", path.name
    for case_id, (_, path) in mixed["defective"].items():
        accepted = DEFECTIVE.get(case_id, False)
        assert status[sha256_of(path)] == ("diterima" if accepted else "ditolak"), case_id
    for case_id, path in mixed["hostile"].items():
        assert status[sha256_of(path)] == "ditolak", case_id
    n = len(mixed["good"]) + len(mixed["defective"]) + len(mixed["hostile"])
    assert (summary.files_new, summary.accepted + summary.rejected) == (n, n)
    loaded = {h for (h,) in query(wh, "SELECT DISTINCT file_hash FROM core.realisasi")}
    assert {sha256_of(p) for p in mixed["good"]} <= loaded


def test_every_row_of_every_file_is_accounted_for(mixed) -> None:
    wh = mixed["warehouse"]
    rows = query(wh, """
        SELECT s.file_hash, s.rows_read, s.rows_accepted, s.rows_rejected,
               (SELECT count(*) FROM core.realisasi r WHERE r.file_hash = s.file_hash),
               (SELECT count(*) FROM core.baris_ditolak d WHERE d.file_hash = s.file_hash)
        FROM core.submission s""")  # fmt: skip
    read_by_hash = {f.file_hash: len(f.rows) for f in mixed["parsed"]}
    assert len(rows) == len(read_by_hash)
    for file_hash, read, accepted, rejected, in_realisasi, in_ditolak in rows:
        assert read == accepted + rejected == in_realisasi + in_ditolak == read_by_hash[file_hash]
    summary = mixed["summary"]
    assert summary.rows_read == summary.rows_accepted + summary.rows_rejected == sum(read_by_hash.values())


def test_one_letter_per_rejected_opd(mixed) -> None:
    folder = mixed["root"] / "laporan" / "surat"
    rejected = {kode for case_id, (kode, _) in mixed["defective"].items() if not DEFECTIVE.get(case_id)}
    html = {p.name for p in folder.glob("surat-*.html")}
    assert html == {f"surat-{PEMDA}_{kode}_{TAHUN}_tw{TRIWULAN}.html" for kode in rejected}
    assert {p.name for p in folder.glob("surat-*.xlsx")} == {n.removesuffix(".html") + ".xlsx" for n in html}
    summary = folder / f"ringkasan-tindak-lanjut_{PEMDA}_{TAHUN}_tw{TRIWULAN}.html"
    assert set(mixed["paths"]) == {*folder.glob("surat-*"), summary}


def test_letter_points_at_the_cells_to_fix(mixed) -> None:
    folder = mixed["root"] / "laporan" / "surat"
    kode, _ = mixed["defective"]["R08-kumulatif-over-pagu"]
    page = (folder / f"surat-{PEMDA}_{kode}_{TAHUN}_tw{TRIWULAN}.html").read_text(encoding="utf-8")
    assert "Kepala Dinas Uji 1" in page and "Triwulan III Tahun 2024" in page
    assert re.search(r"<td>Realisasi</td>\s*<td class=\"sel\">I3</td>", page)
    assert "Realisasi s.d. triwulan melebihi pagu" in page and "SP2D tidak boleh melebihi DPA" in page
    assert "Rp600.000.000,-" in page  # the value as typed
    kode, _ = mixed["defective"]["I09-name-says-tw2"]
    page = (folder / f"surat-{PEMDA}_{kode}_{TAHUN}_tw{TRIWULAN}.html").read_text(encoding="utf-8")
    assert re.search(r"<td>Identitas</td>\s*<td class=\"sel\">B4</td>", page)


def test_letter_workbook_lists_the_same_problems_as_inert_text(mixed) -> None:
    folder = mixed["root"] / "laporan" / "surat"
    kode, _ = mixed["defective"]["R03-hostile-text"]
    wb = openpyxl.load_workbook(folder / f"surat-{PEMDA}_{kode}_{TAHUN}_tw{TRIWULAN}.xlsx")
    ws = wb["Perbaikan"]
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "No")
    rows = [
        dict(zip(header, r, strict=True)) for r in ws.iter_rows(values_only=True) if isinstance(r[0], int)
    ]
    assert [(r["Sheet"], r["Sel"], r["Aturan"], r["Isi Sel"]) for r in rows] == [
        ("Realisasi", "D3", "R03", HOSTILE_VALUE)
    ]
    cells = [c for row in ws.iter_rows() for c in row if c.value == HOSTILE_VALUE]
    assert cells and all(c.data_type == "s" for c in cells)
    page = (folder / f"surat-{PEMDA}_{kode}_{TAHUN}_tw{TRIWULAN}.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_steward_summary_names_whom_to_call(mixed) -> None:
    folder = mixed["root"] / "laporan" / "surat"
    page = (folder / f"ringkasan-tindak-lanjut_{PEMDA}_{TAHUN}_tw{TRIWULAN}.html").read_text(encoding="utf-8")
    for case_id, (kode, _) in mixed["defective"].items():
        assert (kode in page) != DEFECTIVE.get(case_id, False), case_id
    assert MISSING_OPD[0] in page and MISSING_OPD[1] in page
    for path in mixed["hostile"].values():
        assert path.name in page
    assert "Realisasi!I3: Realisasi s.d. triwulan melebihi pagu" in page


DISPERINDAG = "3.30.3.31.0.00.01.0000"
DISPERINDAG_TW3 = "36.02_2024_TW3_3.30.3.31.0.00.01.0000_Dinas-Perindustrian-dan-Perdagangan.xlsx"


def run_tw3(src: Path, root: Path) -> list[Path]:
    """The TW III run of the sample's pipeline steps, with its letters."""
    warehouse = root / "gudang.duckdb"
    incoming = pull_local(src, root / "mentah", seen_hashes(warehouse))
    checked = validate_run(parse_all(incoming), incoming, 2024, 3, "36.02")
    run_id = new_run_id()
    load_and_roll_up(checked, warehouse, SAMPLE_DIR / "daftar_opd.csv", run_id)
    con = open_published(warehouse)
    try:
        return write_letters(con, "36.02", 2024, 3, root / "laporan", run_id)
    finally:
        con.close()


def test_letters_stay_current_and_superseded_ones_move_to_the_archive(tmp_path: Path) -> None:
    """Disperindag's TW III file is rejected (R08 at I4): a letter, new this run. A rerun keeps it, no
    longer new. Its corrected revision is accepted: the letter moves to a dated archive folder, the
    steward's list says so, and `surat/` holds only letters to send."""
    src = tmp_path / "berkas"
    shutil.copytree(SAMPLE_DIR, src, ignore=shutil.ignore_patterns("daftar_opd.csv"))
    folder = tmp_path / "laporan" / "surat"
    letter = folder / f"surat-36.02_{DISPERINDAG}_2024_tw3.html"
    summary = folder / "ringkasan-tindak-lanjut_36.02_2024_tw3.html"

    run_tw3(src, tmp_path)
    assert {p.name for p in folder.glob("surat-*")} == {letter.name, letter.with_suffix(".xlsx").name}
    assert "(baru)" in summary.read_text(encoding="utf-8")

    run_tw3(src, tmp_path)  # nothing new arrived
    assert letter.exists() and "(baru)" not in summary.read_text(encoding="utf-8")

    wb = openpyxl.load_workbook(src / "tw3" / DISPERINDAG_TW3)
    data, ident = wb["Realisasi"], wb["Identitas"]
    data["F4"] = 1_232_639_000  # the pagu after the APBD-P: realisasi kumulatif no longer above it
    revisi = next(row for row in ident.iter_rows() if row[0].value == "Revisi")
    revisi[1].value = 1
    wb.save(src / "tw3" / "Disperindag TW III revisi 1.xlsx")
    written = run_tw3(src, tmp_path)

    assert not list(folder.glob("surat-*")) and written == [summary]
    (archive,) = (folder / "arsip").iterdir()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d_\d{6}", archive.name)
    assert sorted(p.name for p in archive.iterdir()) == [letter.name, letter.with_suffix(".xlsx").name]
    page = summary.read_text(encoding="utf-8")
    assert "Surat lama yang dipindahkan ke arsip" in page and letter.name in page


def test_letters_of_many_pemda_are_each_pemdas_own(mixed) -> None:
    con = connect(mixed["warehouse"], read_only=True)
    try:
        run_id = mixed["summary"].run_id
        letters = build_letters_of(con, ["99.99", PEMDA], TAHUN, TRIWULAN, run_id)
        summaries = build_summaries(con, TAHUN, TRIWULAN, letters, run_id)
        alone = build_letters(con, PEMDA, TAHUN, TRIWULAN, run_id)
        assert letters == {"99.99": [], PEMDA: alone}
        assert summaries[PEMDA] == build_summary(con, PEMDA, TAHUN, TRIWULAN, alone, run_id)
    finally:
        con.close()
    rejected = {kode for case_id, (kode, _) in mixed["defective"].items() if not DEFECTIVE.get(case_id)}
    assert {s.kode_skpd for s in alone} == rejected and all(b.masalah for s in alone for b in s.berkas)
    # The files that name no OPD came in with the run for Lebak: another pemda's list has none of them.
    assert {b.nama_berkas for b in summaries[PEMDA].tanpa_opd} >= {p.name for p in mixed["hostile"].values()}
    assert summaries["99.99"].ditolak == [] and summaries["99.99"].tanpa_opd == []
    assert summaries["99.99"].belum == [] and summaries["99.99"].nama_pemda == "99.99"
