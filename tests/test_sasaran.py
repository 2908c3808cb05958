"""`rekap sasaran FILE --tahun YYYY`: KE households in need per desa, counts only. A real file through the
real command into a real warehouse; report T5 then shows the households reached against those in need. A file
with personal data (a NIK column, a person's name, a 16-digit number in any cell) is refused and nothing of
it is kept anywhere."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from rekap.cli.main import main
from rekap.contract.rules import RULES
from rekap.intake.folder import pull_local
from rekap.load.load import load_and_roll_up, new_run_id
from rekap.load.sasaran import SASARAN_RULES, is_personal_header, read_sasaran
from rekap.report.build import build_report
from rekap.validation.batch import parse_all, validate_run
from rekap.warehouse.store import connect
from tests.builders import HEADER, identity, row, write_xlsx

NIK = ["3602011203850001", "3602014506900002", "3602010101700003"]


def write_sheet(path: Path, rows: list[list], sheet: str = "Sasaran") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list], delimiter: str = ",") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        csv.writer(out, delimiter=delimiter).writerows(rows)
    return path


LEBAK = [
    ["DATA KK MISKIN EKSTREM PER DESA KABUPATEN LEBAK 2024 (agregat P3KE)"],
    [],
    ["No", "Kode Desa/Kel.", "Nama Desa", "Kecamatan", "Jumlah KK Miskin Ekstrem"],
    [1, "36.02.03.2001", "Bayah Barat", "Bayah", 120],
    [2, "36.02.02.2004 ", "Sogong", "Panggarangan", "1.250"],
    [3, "36.02.01.2002", "Malingping Utara", "Malingping", 75.0],
    [None, "JUMLAH", None, None, 1445],
    [None, None, "Kepala Bappeda", None, None],
]


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A warehouse with one accepted Lebak file of TW I 2024 placed in two desa and a kecamatan."""
    src, warehouse = tmp_path / "berkas", tmp_path / "gudang" / "gudang-ke.duckdb"
    rows = [row(lokasi="36.02.03.2001"), row(kode="1.06.04.2.01.0002", lokasi="36.02.02.2004")]
    rows = [[*r, kk] for r, kk in zip(rows, (30, 500), strict=True)]
    header = [*HEADER, "Sasaran KK"]
    write_xlsx(src / "a_TW1.xlsx", identity(1), rows, header=header)
    incoming = pull_local(src, tmp_path / "gudang" / "mentah", set())
    checked = validate_run(parse_all(incoming), incoming, 2024, 1, "36.02")
    assert load_and_roll_up(checked, warehouse, None, new_run_id()).accepted == 1
    return warehouse


def t5(warehouse: Path) -> dict[str, tuple]:
    con = connect(warehouse, read_only=True)
    try:
        table = build_report(con, "36.02", 2024, 1).table("t5")
    finally:
        con.close()
    names = [c.name for c in table.columns]
    pick = [names.index(n) for n in ("sasaran_kk", "kk_miskin_ekstrem", "persen_cakupan")]
    return {r[1]: tuple(r[i] for i in pick) for r in table.rows}


def test_counts_load_and_t5_shows_reach_against_need(warehouse: Path, tmp_path: Path, capsys) -> None:
    before = t5(warehouse)
    assert before["Desa Bayah Barat"] == (30, None, None)  # nothing loaded yet: the columns stay empty
    path = write_sheet(tmp_path / "sasaran-lebak.xlsx", LEBAK)
    assert main(["sasaran", str(path), "--tahun", "2024", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "Kabupaten Lebak (36.02): 3 desa/kelurahan, 1.445 KK" in out and "DITERIMA" in out
    after = t5(warehouse)
    assert after["Desa Bayah Barat"] == (30, 120, Decimal("25.00"))
    assert after["Desa Sogong"] == (500, 1250, Decimal("40.00"))
    assert after["Jumlah"] == (530, 1445, Decimal("36.68"))
    # A second file for the same kab/kota replaces the first (reruns are idempotent); another's stays.
    other = write_csv(
        tmp_path / "banten.csv", [["kode_desa", "jumlah_kk"], ["36.02.03.2001", 60], ["36.01.01.2001", 9]]
    )
    assert main(["sasaran", str(other), "--tahun", "2024", "--warehouse", str(warehouse)]) == 0
    assert main(["sasaran", str(other), "--tahun", "2024", "--warehouse", str(warehouse)]) == 0
    con = connect(warehouse, read_only=True)
    try:
        stored = con.execute(
            "SELECT tahun, kode_desa, kk_miskin_ekstrem FROM core.sasaran_desa ORDER BY 2"
        ).fetchall()
    finally:
        con.close()
    assert stored == [(2024, "36.01.01.2001", 9), (2024, "36.02.03.2001", 60)]
    assert t5(warehouse)["Desa Bayah Barat"] == (30, 60, 50)


def every_byte_under(folder: Path, skip: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p != skip)


@pytest.mark.parametrize(
    "rows",
    [
        [["Kode Desa", "NIK", "Jumlah KK"], *[["36.02.03.2001", n, 1] for n in NIK]],
        [["Kode Desa", "Nama Kepala Keluarga", "Jumlah KK"], ["36.02.03.2001", "Siti Aminah", 1]],
        [["Kode Desa", "Jumlah KK", "Keterangan"], ["36.02.03.2001", 3, f"KRT {NIK[0]}"]],
    ],
    ids=["nik-column", "name-column", "nik-in-a-cell"],
)
def test_a_file_with_personal_data_is_refused_and_nothing_is_kept(
    warehouse: Path, tmp_path: Path, capsys, rows: list[list]
) -> None:
    inbox = tmp_path / "kiriman"
    path = write_csv(inbox / "p3ke-lebak.csv", rows)
    folder = warehouse.parent
    snapshot = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert main(["sasaran", str(path), "--tahun", "2024", "--warehouse", str(warehouse)]) == 1
    out = capsys.readouterr().out
    assert "[R20]" in out and "TIDAK dimuat" in out
    for secret in [*NIK, "Siti Aminah"]:
        assert secret not in out
    # The warehouse folder is exactly as it was: no copy, no working file, no row.
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == snapshot
    assert not any(s.encode() in every_byte_under(tmp_path, skip=path) for s in [*NIK, "Siti Aminah"])
    con = connect(warehouse, read_only=True)
    assert con.execute("SELECT count(*) FROM core.sasaran_desa").fetchone() == (0,)
    con.close()


@pytest.mark.parametrize(
    ("rows", "rule", "where"),
    [
        ([["Kode", "Banyaknya"], ["36.02.03.2001", 1]], "R21", (None, None, None)),
        ([["Kode Desa", "Jumlah KK"], ["36.02.03", 1], ["36.02.03.9999", 2]], "R22", ("CSV", 2, "A")),
        ([["Kode Desa", "Jumlah KK"], ["36.02.03.2001", "12,5"]], "R23", ("CSV", 2, "B")),
        ([["Kode Desa", "Jumlah KK"], ["36.02.03.2001", 1], ["36.02.03.2001", 2]], "R24", ("CSV", 2, "A")),
        ([["Kode Desa", "Jumlah KK"]], "F09", ("CSV", None, None)),
    ],
    ids=["R21-no-header", "R22-code", "R23-count", "R24-twice", "F09-no-rows"],
)
def test_every_rule_is_reported_where_it_is_broken(
    warehouse: Path, tmp_path: Path, capsys, rows: list[list], rule: str, where: tuple
) -> None:
    path = write_csv(tmp_path / "sasaran.csv", rows)
    assert main(["sasaran", str(path), "--tahun", "2024", "--warehouse", str(warehouse)]) == 1
    out = capsys.readouterr().out
    assert f"[{rule}] KESALAHAN" in out and RULES[rule].pesan in out
    sheet, baris, kolom = where
    if baris:
        assert f"{sheet}!{kolom}{baris}" in out


def test_the_rules_of_a_household_file_are_its_own() -> None:
    assert set(SASARAN_RULES) == {r for r in RULES if r.startswith("R2")}
    assert all(RULES[r].tingkat == "error" for r in SASARAN_RULES)


@pytest.mark.parametrize(
    ("header", "personal"),
    [
        ("NIK", True),
        ("NIK Kepala Keluarga", True),
        ("No. KK", True),
        ("Nomor Kartu Keluarga", True),
        ("Nama", True),
        ("Nama Lengkap", True),
        ("Alamat", True),
        ("Tanggal Lahir", True),
        ("ID Keluarga P3KE", True),
        ("Nama Desa", False),
        ("Nama Kecamatan", False),
        ("Jumlah KK", False),
        ("Kode Desa", False),
        ("Jumlah Anggota Keluarga", False),
    ],
)
def test_personal_headers(header: str, personal: bool) -> None:
    assert is_personal_header(header) is personal


def test_an_xlsx_with_a_second_sheet_of_individuals_is_refused(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "sasaran.xlsx", LEBAK)
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("Individu")
    ws.append(["No", "Kode Desa", "Keterangan"])
    ws.append([1, "36.02.03.2001", int(NIK[1])])  # a NIK typed as a number
    wb.save(path)
    parsed = read_sasaran(path)
    assert [(p.rule, p.sheet, p.row, p.column, p.value) for p in parsed.problems] == [
        ("R20", "Individu", 2, "C", None)
    ]
    assert parsed.rows == []
    shutil.rmtree(tmp_path)
