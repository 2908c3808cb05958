"""The reader on real files with each kind of real-world mess of the spec (section 6)."""

from __future__ import annotations

import csv
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter

from rekap.reading.reader import read_submission
from rekap.validation.validate import validate_files
from tests.builders import HEADER, add_identity_sheet, identity, row, write_xlsx


def _errors(findings):
    return findings[findings["tingkat"] == "error"]


def test_template_file_reads_rows_with_excel_row_numbers(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", identity(), [row(), row(kode="1.06.04.2.01.0002")])
    parsed = read_submission(path)
    assert parsed.readable and parsed.sheet == "Realisasi"
    assert [r["_baris"] for r in parsed.rows] == [2, 3]
    assert parsed.identity["Kode Pemda".lower().replace(" ", "_")] == "36.02"


def test_title_rows_number_row_total_and_signature_are_skipped(tmp_path):
    above = [["LAPORAN REALISASI ANGGARAN KE TRIWULAN I TAHUN 2024"], [], []]
    below = [
        ["", "JUMLAH", None, None, None, 2_000_000, 200_000, 200_000],
        [],
        ["", "", "Lebak, 8 April 2024"],
        ["", "", "Kepala Dinas Sosial"],
        ["", "", "NIP 19700101"],
    ]
    rows = [row(), row(kode="1.06.04.2.01.0002")]
    path = write_xlsx(tmp_path / "a.xlsx", identity(), rows, above=above, below=below)
    # the row of column numbers templates print right under the header
    wb = openpyxl.load_workbook(path)
    wb["Realisasi"].insert_rows(5)
    for c in range(1, len(HEADER) + 1):
        wb["Realisasi"].cell(row=5, column=c, value=c)
    wb.save(path)
    parsed = read_submission(path)
    assert [r["_baris"] for r in parsed.rows] == [6, 7]
    _, rows, findings = validate_files([parsed], "36.02")
    assert _errors(findings).empty
    assert list(rows["pagu_sen"]) == [100_000_000, 100_000_000]


def test_two_row_merged_header_is_joined(tmp_path):
    path = tmp_path / "merged.xlsx"
    wb = xlsxwriter.Workbook(path)
    add_identity_sheet(wb, identity())
    ws = wb.add_worksheet("Realisasi")
    top = ["No", "Kode Sub Kegiatan", "Nama Sub Kegiatan", "Strategi", "Sumber Dana", "Pagu (Rp)"]
    for c, label in enumerate(top):
        ws.merge_range(0, c, 1, c, label)
    ws.merge_range(0, 6, 0, 7, "Realisasi (Rp)")
    ws.write_string(1, 6, "Triwulan Ini")
    ws.write_string(1, 7, "s.d. Triwulan Ini")
    for c, value in enumerate([1, *row()[:-1]]):
        ws.write(2, c, value)
    wb.close()
    parsed = read_submission(path)
    assert {"realisasi_triwulan", "realisasi_kumulatif", "pagu"} <= set(parsed.columns)
    assert parsed.columns["realisasi_kumulatif"][0] == "H"
    assert [r["_baris"] for r in parsed.rows] == [3]


def test_messy_headers_codes_and_amount_text(tmp_path):
    header = [
        "No.",
        "KODE\nSUB GIAT",
        "Uraian",
        "strategi  KE",
        "Dana",
        "Pagu Anggaran",
        "Realisasi TW",
        "Realisasi Kumulatif",
        "Kecamatan/Desa",
    ]
    rows = [
        [
            " 1.06.04.2.01.0001. ",
            "Bansos",
            "beban pengeluaran",
            "Dana Transfer Umum-Dana Alokasi Umum",
            "Rp 1.250.000.000,00",
            "Rp1.250.000,-",
            "1.250.000",
            "36.02.01; 36.02.02",
        ],
        [
            "1.06.04.2.01.01",
            "Rutilahu",
            "c",
            "PENDAPATAN ASLI DAERAH (PAD)",
            "500.000.000",
            "-",
            "0",
            "SEMUA",
        ],
    ]
    path = write_xlsx(tmp_path / "messy.xlsx", identity(triwulan="TW I"), rows, header=header)
    parsed = read_submission(path)
    _, frame, findings = validate_files([parsed], "36.02")
    assert _errors(findings).empty, findings.to_dict("records")
    first, second = frame.to_dict("records")
    assert first["kode_sub_kegiatan"] == "1.06.04.2.01.0001"
    assert (first["strategi"], first["sumber_dana"]) == ("PBP", "DAU")
    assert first["pagu_sen"] == 125_000_000_000 and first["realisasi_triwulan_sen"] == 125_000_000
    assert second["kode_sub_kegiatan"] == "1.06.04.2.01.0001"  # old 2-digit suffix, widened
    assert (second["strategi"], second["sumber_dana"], second["realisasi_triwulan_sen"]) == ("PKK", "PAD", 0)
    assert first["lokasi"] == "36.02.01;36.02.02"
    warnings = set(findings[findings["tingkat"] == "warning"]["aturan"])
    assert {"W02", "W03"} <= warnings


def test_data_sheet_with_another_name_is_found_with_a_warning(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", identity(), [row()], sheet="REALISASI TW III")
    parsed = read_submission(path)
    assert parsed.sheet == "REALISASI TW III"
    assert [p.rule for p in parsed.problems] == ["W04"]


def test_formula_cells_use_their_cached_value(tmp_path):
    path = tmp_path / "formula.xlsx"
    wb = xlsxwriter.Workbook(path)
    add_identity_sheet(wb, identity())
    ws = wb.add_worksheet("Realisasi")
    ws.write_row(0, 0, HEADER)
    ws.write_row(1, 0, [1, *row(tw=100_000, kum=None)])
    ws.write_formula(1, 7, "=G2", None, 100_000)
    wb.close()
    parsed = read_submission(path)
    _, frame, findings = validate_files([parsed], "36.02")
    assert _errors(findings).empty
    assert frame.loc[0, "realisasi_kumulatif_sen"] == 10_000_000


@pytest.mark.parametrize(("delimiter", "bom"), [(",", True), (";", False)])
def test_csv_with_identity_columns(tmp_path, delimiter, bom):
    path = tmp_path / "opd_TW2.csv"
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(
            ["kode_pemda", "nama_pemda", "tahun", "triwulan", "kode_skpd", "nama_skpd", "revisi", *HEADER[1:]]
        )
        base = ["36.02", "Kabupaten Lebak", "2024", "2", "1.06.0.00.0.00.01.0000", "Dinas Sosial", "0"]
        writer.writerow([*base, *row(pagu="1.250.000.000,50", tw="1.000", kum="2.000")])
    parsed = read_submission(path)
    assert parsed.readable and parsed.identity["triwulan"] == "2"
    _, frame, findings = validate_files([parsed], "36.02")
    assert _errors(findings).empty
    assert frame.loc[0, "pagu_sen"] == 125_000_000_050
    assert frame.loc[0, "realisasi_triwulan_sen"] == 100_000  # "1.000" is Indonesian for one thousand
    assert Decimal(frame.loc[0, "pagu"]) == Decimal("1250000000.50")


def test_broken_file_is_a_problem_not_an_exception(tmp_path):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    parsed = read_submission(path)
    assert not parsed.readable
    assert [p.rule for p in parsed.problems] == ["F02"]
