"""Renderers: the workbook and the HTML page made from a small hand-built report."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from rekap.contract.format import format_angka, format_persen, format_rupiah, format_rupiah_singkat
from rekap.contract.tables import Column, Report, ReportTable
from rekap.report.page import render_html
from rekap.report.workbook import render_workbook, sheet_name, sheet_names

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+1",
    "-2",
    "@SUM(A1)",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
]
IDENTITY = "Kabupaten Lebak (36.02) - Tahun 2024 - Triwulan III"


def make_report() -> Report:
    """Four tables (T0, T1, T2 with subtotals, T6) and the four charts; OPD text is hostile."""
    t0 = ReportTable(
        key="t0",
        title="T0 Ringkasan",
        note="Angka dalam Rupiah",
        columns=[
            Column("periode", "Periode"),
            Column("pagu", "Total Pagu", "rupiah"),
            Column("realisasi", "Realisasi s.d. Triwulan", "rupiah"),
            Column("serapan", "Serapan (%)", "persen"),
            Column("opd_diharapkan", "OPD Diharapkan", "angka"),
        ],
        rows=[
            ("Triwulan III", Decimal("1250000000"), Decimal("563750000"), Decimal("45.10"), 18),
            ("Triwulan II", Decimal("1250000000"), Decimal("312500000"), Decimal("25.00"), 18),
        ],
    )
    t1 = ReportTable(
        key="t1",
        title="T1 Rekap per Strategi",
        columns=[
            Column("strategi", "Strategi"),
            Column("jumlah_opd", "Jumlah OPD", "angka"),
            Column("pagu", "Pagu", "rupiah"),
            Column("realisasi", "Realisasi Kumulatif", "rupiah"),
            Column("serapan", "Serapan (%)", "persen"),
        ],
        rows=[
            ("Pengurangan beban", 5, Decimal("500000000"), Decimal("250000000"), Decimal("50.00")),
            ("Peningkatan pendapatan", 4, Decimal("250000000"), Decimal("63750000"), Decimal("25.50")),
            ("Penurunan kantong kemiskinan", 9, Decimal("500000000"), Decimal("250000000"), Decimal("50.00")),
            ("Jumlah", 18, Decimal("1250000000"), Decimal("563750000"), Decimal("45.10")),
        ],
        levels=[0, 0, 0, 1],
    )
    t2 = ReportTable(
        key="t2",
        title="T2 Rekap per OPD",
        note="Realisasi dalam Rupiah",
        columns=[
            Column("nama_skpd", "Nama SKPD"),
            Column("pagu", "Pagu", "rupiah"),
            Column("realisasi", "Realisasi Kumulatif", "rupiah"),
            Column("serapan", "Serapan (%)", "persen"),
            Column("status", "Status"),
        ],
        rows=[
            ("Dinas Sosial", Decimal("1000000000"), Decimal("500000000.50"), Decimal("50.00"), "diterima"),
            *[(text, Decimal("10"), Decimal("-5"), None, text) for text in HOSTILE],
            ("Subtotal strategi PBP", Decimal("1000000060"), Decimal("499999970.50"), Decimal("50.00"), None),
            ("Jumlah", Decimal("1250000000"), Decimal("563750000"), Decimal("45.10"), None),
        ],
        levels=[0] * (1 + len(HOSTILE)) + [2, 1],
    )
    t6 = ReportTable(
        key="t6",
        title="T6 Kelengkapan dan Validasi",
        columns=[
            Column("nama_skpd", "Nama SKPD"),
            Column("tanggal", "Tanggal Kirim", "tanggal"),
            Column("jumlah_galat", "Jumlah Galat", "angka"),
            Column("galat", "Galat Pertama"),
        ],
        rows=[
            ("Dinas Kesehatan", "2024-10-05", 0, ""),
            ("Dinas PUPR", None, 2, "Kolom pagu kosong pada baris 12. " * 4),
        ],
    )
    return Report(
        kode_pemda="36.02",
        nama_pemda="Kabupaten Lebak",
        tahun=2024,
        triwulan=3,
        tables=[t0, t1, t2, t6],
        charts={
            "serapan_opd": [("Dinas Sosial", Decimal("50.00")), (HOSTILE[4], Decimal("12.5"))],
            "strategi": [("PBP", Decimal("500000000"), Decimal("250000000"))],
            "triwulan": [(1, Decimal("100000000")), (2, Decimal("212500000")), (3, Decimal("251250000"))],
            "lokasi": [(HOSTILE[5], Decimal("1000000")), ("Kecamatan Malingping", Decimal("2500000"))],
        },
    )


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_workbook(make_report(), tmp_path_factory.mktemp("xlsx") / "laporan.xlsx")


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = render_html(make_report(), tmp_path_factory.mktemp("html") / "laporan.html")
    return path.read_text(encoding="utf-8")


# --- formatting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1250000000"), "1.250.000.000"),
        (Decimal("1250000000.00"), "1.250.000.000"),
        (Decimal("1250000.50"), "1.250.000,50"),
        (Decimal("-1250000"), "-1.250.000"),
        (Decimal("-0.50"), "-0,50"),
        (Decimal("0.005"), "0,01"),
        (Decimal("-0.001"), "0"),
        (0, "0"),
        (999, "999"),
    ],
)
def test_format_rupiah(value: Decimal, expected: str) -> None:
    assert format_rupiah(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("45.1"), "45,10"),
        (Decimal("45.10"), "45,10"),
        (Decimal("100"), "100,00"),
        (Decimal("-3.456"), "-3,46"),
        (Decimal("1234.5"), "1.234,50"),
    ],
)
def test_format_persen(value: Decimal, expected: str) -> None:
    assert format_persen(value) == expected


def test_format_angka_and_singkat() -> None:
    assert format_angka(12345) == "12.345"
    assert format_angka(Decimal("2.750")) == "2,75"
    assert format_rupiah_singkat(Decimal("1250000000")) == "Rp1,25 miliar"
    assert format_rupiah_singkat(Decimal("500000000")) == "Rp500 juta"
    assert format_rupiah_singkat(Decimal("2200000000000")) == "Rp2,2 triliun"
    assert format_rupiah_singkat(Decimal("750000")) == "Rp750.000"


def test_cell_texts_are_made_once_and_not_pickled() -> None:
    """The page, the workbook and the PDF read the same texts, made once per table; a report sent back by
    a report worker carries its tables without them, and its texts come out the same."""
    import pickle

    from rekap.report.common import cell_texts

    t0 = make_report().table("t0")
    texts = cell_texts(t0)
    pagu = format_rupiah(Decimal("1250000000"))
    assert texts[0][:2] == ["Triwulan III", pagu] and texts[0][-1] == format_angka(18)
    assert cell_texts(t0) is texts and t0.texts is texts
    sent = pickle.dumps(t0)
    assert pagu.encode() not in sent and "texts" not in pickle.loads(sent).__dict__
    assert cell_texts(pickle.loads(sent)) == texts and pickle.loads(sent) == t0


def test_money_is_never_a_float() -> None:
    with pytest.raises(TypeError):
        format_rupiah(1.5)


# --- sheet names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("T0 Ringkasan", "T0 Ringkasan"),
        ("T1 Rekap per Strategi", "T1 Strategi"),
        ("T2 Rekap per OPD", "T2 OPD"),
        ("T3 Matriks 2 (rincian)", "T3 Matriks 2"),
        ("T4 Sumber Dana x Strategi", "T4 Sumber Dana x Strategi"),
        ("T6 Kelengkapan dan Validasi", "T6 Kelengkapan"),
        ("T9 Realisasi: per/bulan [uji] * ?", "T9 Realisasi per bulan uji"),
        ("T8 " + "Sangat panjang " * 5, "T8 Sangat panjang Sangat panjan"),
    ],
)
def test_sheet_name(title: str, expected: str) -> None:
    assert sheet_name(title) == expected
    assert len(sheet_name(title)) <= 31


def test_sheet_names_are_unique_ignoring_case() -> None:
    assert sheet_names(["T1 Strategi", "t1 strategi", "T1 Rekap per Strategi", "History"]) == [
        "T1 Strategi",
        "t1 strategi (2)",
        "T1 Strategi (3)",
        "History (2)",
    ]


# --- workbook --------------------------------------------------------------------------------


def test_sheets_in_order_with_header_and_frozen_panes(workbook_path: Path) -> None:
    wb = openpyxl.load_workbook(workbook_path)
    assert wb.sheetnames == ["T0 Ringkasan", "T1 Strategi", "T2 OPD", "T6 Kelengkapan"]
    ws = wb["T1 Strategi"]
    assert ws["A1"].value == "T1 Rekap per Strategi"
    assert ws["A1"].font.b
    assert ws["A2"].value == IDENTITY
    assert wb["T0 Ringkasan"]["A2"].value == f"{IDENTITY} - Angka dalam Rupiah"
    assert [c.value for c in ws[3]] == [c.label for c in make_report().table("t1").columns]
    assert all(c.font.b and c.alignment.wrap_text for c in ws[3])
    for sheet in wb.worksheets:
        assert sheet.freeze_panes == "A4"
        assert sheet.print_title_rows == "$3:$3"


def test_numbers_are_numbers_with_formats(workbook_path: Path) -> None:
    wb = openpyxl.load_workbook(workbook_path)
    t0 = wb["T0 Ringkasan"]
    assert t0["B4"].value == 1250000000
    assert isinstance(t0["B4"].value, int)
    assert t0["B4"].number_format == "#,##0"
    assert t0["D4"].value == pytest.approx(45.10)
    assert t0["D4"].number_format == "0.00"
    assert t0["E4"].value == 18
    # A column with sen anywhere shows sen everywhere; the value keeps its sen.
    t2 = wb["T2 OPD"]
    assert t2["C4"].value == pytest.approx(500000000.50)
    assert t2["C4"].number_format == "#,##0.00"
    assert t2["B4"].number_format == "#,##0"
    assert t2["D5"].value is None  # None stays an empty cell


def test_subtotal_rows_are_bold(workbook_path: Path) -> None:
    ws = openpyxl.load_workbook(workbook_path)["T2 OPD"]
    detail, subtotal, total = 4, 4 + 1 + len(HOSTILE), 4 + 2 + len(HOSTILE)
    assert ws.cell(subtotal, 1).value == "Subtotal strategi PBP"
    assert not ws.cell(detail, 1).font.b
    assert all(ws.cell(subtotal, c).font.b for c in range(1, 6))
    assert all(ws.cell(total, c).font.b for c in range(1, 6))
    assert ws.cell(total, 2).border.top.style == "medium"
    assert ws.cell(total, 1).fill.fgColor.rgb != ws.cell(subtotal, 1).fill.fgColor.rgb


def test_print_setup(workbook_path: Path) -> None:
    for ws in openpyxl.load_workbook(workbook_path).worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1, "1")  # absent means 1 in OOXML
        assert ws.page_setup.fitToHeight in (0, "0")


def test_columns_fit_content_and_long_text_wraps(workbook_path: Path) -> None:
    ws = openpyxl.load_workbook(workbook_path)["T6 Kelengkapan"]
    assert ws.column_dimensions["D"].width == pytest.approx(60, abs=1)
    assert ws["D5"].alignment.wrap_text
    assert 10 < ws.column_dimensions["A"].width < 30


def test_hostile_text_stays_inert_text(workbook_path: Path) -> None:
    ws = openpyxl.load_workbook(workbook_path)["T2 OPD"]
    for i, text in enumerate(HOSTILE):
        for col in (1, 5):
            cell = ws.cell(5 + i, col)
            assert cell.data_type == "s"
            assert cell.value == text
    with zipfile.ZipFile(workbook_path) as xlsx:
        sheets = [n for n in xlsx.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            xml = xlsx.read(name)
            assert b"<f>" not in xml  # no formula anywhere
            assert b"<hyperlink" not in xml


def test_workbook_is_reproducible(tmp_path: Path) -> None:
    first = render_workbook(make_report(), tmp_path / "a.xlsx")
    second = render_workbook(make_report(), tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx"]  # no temporary left


def test_rows_must_match_columns(tmp_path: Path) -> None:
    report = make_report()
    report.tables[0].rows.append(("kurang",))
    with pytest.raises(ValueError, match="t0: row 2"):
        render_workbook(report, tmp_path / "x.xlsx")
    assert not list(tmp_path.iterdir())


# --- HTML ------------------------------------------------------------------------------------


def test_html_is_self_contained(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="id">' in html
    assert '<meta name="viewport"' in html
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "<link" not in html.lower()
    assert "@import" not in html
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:[a-z]+:|//)""", html, re.IGNORECASE)
    assert not re.search(r"url\(", html)


def test_html_escapes_text_from_data(html: str) -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "=HYPERLINK(&#34;http://x&#34;,&#34;y&#34;)" in html
    # in the SVG too: the hostile OPD name of the serapan chart and lokasi chart
    svg = html[html.index("<svg") : html.rindex("</svg>")]
    assert "&lt;script&gt;" in svg
    assert "&lt;img" in svg


def test_html_numbers_as_indonesians_read_them(html: str) -> None:
    assert '<td class="num">1.250.000.000</td>' in html
    assert '<td class="num">45,10</td>' in html
    assert '<td class="num">500.000.000,50</td>' in html
    assert '<tr class="level-1">' in html
    assert '<tr class="level-2">' in html
    assert "Kabupaten Lebak" in html
    assert "Triwulan III" in html


def test_html_has_one_svg_per_chart(html: str) -> None:
    assert html.count("<svg") == 4
    for key in ("strategi", "triwulan", "serapan_opd", "lokasi"):
        assert f'id="grafik-{key}"' in html


def test_html_without_charts(tmp_path: Path) -> None:
    report = make_report()
    report.charts = {"triwulan": []}
    text = render_html(report, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<svg" not in text
    assert 'id="t6"' in text


def test_html_is_reproducible(tmp_path: Path) -> None:
    first = render_html(make_report(), tmp_path / "a.html")
    second = render_html(make_report(), tmp_path / "b.html")
    assert first.read_bytes() == second.read_bytes()


def test_row_kinds_format_each_row_of_a_tall_table(tmp_path: Path) -> None:
    """T0 stacks Rupiah, percentages and counts in one column: each row keeps its own number format."""
    table = ReportTable(
        key="t0",
        title="T0 Ringkasan",
        columns=[Column("uraian", "Uraian"), Column("ini", "Triwulan III", "rupiah")],
        rows=[
            ("Total pagu", Decimal("1250000000.00")),
            ("Serapan (%)", Decimal("45.10")),
            ("OPD", Decimal(18)),
        ],
        row_kinds=["rupiah", "persen", "angka"],
    )
    report = Report("36.02", "Kabupaten Lebak", 2024, 3, [table])
    ws = openpyxl.load_workbook(render_workbook(report, tmp_path / "t0.xlsx"))["T0 Ringkasan"]
    assert [ws.cell(r, 2).number_format for r in (4, 5, 6)] == ["#,##0", "0.00", "#,##0"]
    assert (ws["B4"].value, ws["B6"].value) == (1250000000, 18)
    html = render_html(report, tmp_path / "t0.html").read_text(encoding="utf-8")
    for text in ("1.250.000.000", "45,10", ">18<"):
        assert text in html
    table.row_kinds.append("angka")
    with pytest.raises(ValueError, match="row kinds"):
        render_workbook(report, tmp_path / "x.xlsx")


def test_sheet_header_keeps_a_name_with_ampersands_whole_codes(tmp_path: Path) -> None:
    """Excel's header/footer reads "&" as the start of a code: a name's "&" is doubled, and a header cut to
    its length never ends in half a pair (a dangling code)."""
    report = make_report()
    report.nama_pemda = "a" * 99 + "&b"
    ws = openpyxl.load_workbook(render_workbook(report, tmp_path / "amp.xlsx")).worksheets[0]
    assert ws.oddHeader.right.text == "a" * 99
    report.nama_pemda = "Kota A & B"
    ws = openpyxl.load_workbook(render_workbook(report, tmp_path / "amp2.xlsx")).worksheets[0]
    assert ws.oddHeader.right.text.startswith("Kota A && B (36.02)")


def test_page_breaks_only_a_long_unbroken_word(tmp_path: Path) -> None:
    """A text cell with a word too long to wrap may break anywhere; every other cell keeps its class."""
    report = make_report()
    t6 = report.table("t6")
    t6.rows.append(("x" * 150, None, 1, "kata " * 40))
    html = render_html(report, tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.count("panjang") == 2  # the cell, and the CSS rule
    assert f'<td class="teks lebar panjang">{"x" * 150}</td>' in html
    assert f'<td class="teks lebar">{"kata " * 40}</td>' in html
