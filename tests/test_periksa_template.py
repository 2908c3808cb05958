"""`rekap periksa` (check files without loading) and `rekap template` (the blank workbook of the spec):
a template filled in by an OPD passes periksa and loads unchanged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from rekap.cli.main import main
from rekap.cli.periksa import check_files
from rekap.contract.codes import STRATEGI, SUMBER_DANA
from rekap.contract.fields import COLUMNS
from rekap.intake.folder import pull_local
from rekap.load.load import load_and_roll_up, new_run_id
from rekap.reading.reader import read_submission
from rekap.validation.batch import parse_all, validate_run
from rekap.warehouse.store import connect
from tests.corpus import CASE_BY_ID, PEMDA

SKPD = "1.06.0.00.0.00.01.0000"
# What the OPD types into the template: (kode, nama, strategi, sumber dana, pagu, realisasi tw, kumulatif,
# lokasi, sasaran KK).
FILLED = [
    ("1.06.04.2.01.0001", "Penyaluran Bantuan Sosial", "Pengurangan Beban Pengeluaran", "DAU",
     1_250_000_000, 300_000_000, 900_000_000.5, "36.02.01;36.02.02", 500),
    ("1.06.05.2.01.0002", "Pelatihan Usaha Ekonomi Produktif", "Peningkatan Pendapatan", "PAD",
     500_000_000, 100_000_000, 250_000_000, "36.02.03.2001", 120),
    ("1.06.04.2.01.0001", "Penyaluran Bantuan Sosial", "Penurunan Kantong Kemiskinan", "DAK_FISIK",
     750_000_000.25, 0, 125_000_000.25, "SEMUA", 200),
]  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    out = folder / "kosong.xlsx"
    args = ["--pemda", PEMDA, "--tahun", "2024", "--triwulan", "3", "--skpd", SKPD,
            "--nama-skpd", "Dinas Sosial", "--nama-pemda", "Kabupaten Lebak", "--out", str(out)]  # fmt: skip
    assert main(["template", *args]) == 0
    return out


def fill(template: Path, target: Path) -> Path:
    """Fill in the template as an OPD does in Excel (here with openpyxl) and save it under `target`."""
    wb = openpyxl.load_workbook(template)
    wb["Identitas"]["B8"] = dt.datetime(2024, 10, 8)
    wb["Identitas"]["B9"] = "Drs. Contoh, M.Si"
    wb["Identitas"]["B10"] = "197001011990031001"
    ws = wb["Realisasi"]
    col = {f.name: i + 1 for i, f in enumerate(COLUMNS)}
    for r, (kode, nama, strategi, dana, pagu, tw, kum, lokasi, kk) in enumerate(FILLED, start=2):
        values = {"no": r - 1, "kode_sub_kegiatan": kode, "nama_sub_kegiatan": nama, "strategi": strategi,
                  "sumber_dana": dana, "pagu": pagu, "realisasi_triwulan": tw, "realisasi_kumulatif": kum,
                  "lokasi": lokasi, "sasaran_kk": kk, "satuan": "KK", "target_volume": kk,
                  "realisasi_volume": kk // 2}  # fmt: skip
        for name, value in values.items():
            ws.cell(row=r, column=col[name], value=value)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def test_template_has_the_layout_of_the_spec(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["Petunjuk", "Identitas", "Realisasi"]
    ident = {r[0]: r[1] for r in wb["Identitas"].iter_rows(values_only=True)}
    assert ident["Kode Pemda"] == PEMDA and ident["Kode SKPD"] == SKPD
    assert (ident["Tahun Anggaran"], ident["Triwulan"], ident["Nama SKPD"]) == (2024, 3, "Dinas Sosial")
    ws = wb["Realisasi"]
    assert [c.value for c in ws[1]] == [f.label for f in COLUMNS]
    assert ws.freeze_panes == "A2"
    assert ws.protection.sheet and ws["A1"].protection.locked
    amounts = ws.column_dimensions["F"]  # F..I: Pagu, Pagu Murni, Realisasi TW, Realisasi s.d. TW
    assert (amounts.min, amounts.max, amounts.number_format) == (6, 9, "#,##0")
    assert not amounts.protection.locked and not ws.column_dimensions["B"].protection.locked
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert lists == {"D2:D1001": '"' + ",".join(STRATEGI.values()) + '"',
                     "E2:E1001": '"' + ",".join(SUMBER_DANA) + '"'}  # fmt: skip
    assert "Petunjuk" in wb.sheetnames and wb["Petunjuk"]["A1"].value.startswith("Petunjuk Pengisian")


def test_blank_template_reads_as_the_template_with_no_rows(template: Path) -> None:
    parsed = read_submission(template)
    assert parsed.sheet == "Realisasi" and list(parsed.columns) == [f.name for f in COLUMNS]
    assert [p.rule for p in parsed.problems] == ["F09"]


def test_filled_template_passes_periksa_and_loads_unchanged(template: Path, tmp_path: Path, capsys) -> None:
    src = tmp_path / "berkas"
    filled = fill(template, src / f"{PEMDA}_2024_TW3_{SKPD}.xlsx")
    assert main(["periksa", str(filled), "--pemda", PEMDA]) == 0
    out = capsys.readouterr().out
    assert "Keputusan: DITERIMA (3 baris data; 0 kesalahan, 0 peringatan)" in out

    warehouse = tmp_path / "gudang.duckdb"
    incoming = pull_local(src, tmp_path / "mentah", set())
    checked = validate_run(parse_all(incoming), incoming, 2024, 3, PEMDA)
    summary = load_and_roll_up(checked, warehouse, None, new_run_id())
    assert (summary.accepted, summary.rejected, summary.rows_accepted) == (1, 0, 3)
    con = connect(warehouse, read_only=True)
    try:
        got = con.execute("""
            SELECT kode_sub_kegiatan, nama_sub_kegiatan, strategi, sumber_dana, pagu, realisasi_triwulan,
                   realisasi_kumulatif, lokasi, sasaran_kk
            FROM core.realisasi ORDER BY baris""").fetchall()  # fmt: skip
    finally:
        con.close()
    codes = {v: k for k, v in STRATEGI.items()}
    d = Decimal
    want = [(kode, nama, codes[strategi], dana, d(str(pagu)), d(str(tw)), d(str(kum)), lokasi, kk)
            for kode, nama, strategi, dana, pagu, tw, kum, lokasi, kk in FILLED]  # fmt: skip
    assert got == want


def test_periksa_prints_each_problem_and_rejects(tmp_path: Path, capsys) -> None:
    good = CASE_BY_ID["valid-xlsx"].build(tmp_path / "baik")
    bad = CASE_BY_ID["R08-kumulatif-over-pagu"].build(tmp_path / "salah", kode_skpd="1.06.0.00.0.00.02.0000")
    lokasi = CASE_BY_ID["R12-lokasi-other-pemda"].build(
        tmp_path / "lokasi", kode_skpd="1.06.0.00.0.00.03.0000"
    )
    broken = CASE_BY_ID["F03-password"].build(tmp_path / "sandi")
    assert main(["periksa", str(good), str(bad), str(lokasi), str(broken), "--pemda", PEMDA]) == 1
    out = capsys.readouterr().out
    assert (
        "[R08] KESALAHAN di Realisasi!I3 (Realisasi s.d. Triwulan Ini (Rp)), isi sel: 'Rp600.000.000,-'"
        in out
    )
    assert "Cara memperbaiki: SP2D tidak boleh melebihi DPA" in out
    assert (
        "[R12] KESALAHAN di Realisasi!O3 (Lokasi), isi sel: '36.03.01'" in out
    )  # the SQL rule, no warehouse
    assert "[F03] KESALAHAN di seluruh berkas" in out
    assert out.count("Keputusan: DITOLAK") == 3 and out.count("Keputusan: DITERIMA") == 1
    assert "Diperiksa 4 berkas: 1 DITERIMA, 3 DITOLAK." in out


def test_periksa_checks_the_daftar_opd_when_given(tmp_path: Path) -> None:
    path = CASE_BY_ID["valid-xlsx"].build(tmp_path)
    daftar = tmp_path / "daftar.csv"
    daftar.write_text(
        "kode_pemda,tahun,kode_skpd,nama_skpd\n36.02,2024,1.02.0.00.0.00.01.0000,Dinas Kesehatan\n"
    )
    (verdict,) = check_files([path], PEMDA, daftar)
    assert verdict.diterima and list(verdict.findings["aturan"]) == ["I11"]
    assert list(verdict.findings[["sheet", "baris", "kolom"]].itertuples(index=False, name=None)) == [
        ("Identitas", 5, "B")
    ]


def test_periksa_usage_errors(tmp_path: Path, capsys) -> None:
    assert main(["periksa", str(tmp_path / "tidak-ada.xlsx")]) == 2
    assert "Berkas tidak ditemukan" in capsys.readouterr().err
    assert main(["template", "--pemda", "3602", "--tahun", "2024", "--triwulan", "3", "--skpd", SKPD]) == 2
    assert "Kode pemda tidak sah" in capsys.readouterr().err


def test_periksa_reads_in_a_worker_a_file_may_bring_down(tmp_path: Path, monkeypatch, capsys) -> None:
    """As in a run: the reader of one file dies; periksa reports that file (F14) and checks the others."""
    good = CASE_BY_ID["valid-xlsx"].build(tmp_path / "baik")
    bad = CASE_BY_ID["valid-xlsx"].build(tmp_path / "mati", kode_skpd="1.06.0.00.0.00.02.0000")
    monkeypatch.setenv("REKAP_UJI_MATI_DI", "baca:mati")
    assert main(["periksa", str(good), str(bad), "--pemda", PEMDA]) == 1
    out = capsys.readouterr().out
    assert "[F14] KESALAHAN" in out and "proses pembaca mati" in out
    assert "Diperiksa 2 berkas: 1 DITERIMA, 1 DITOLAK." in out
