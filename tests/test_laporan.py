"""The report of a real run: the bundled sample through the plain pipeline functions (no Prefect server),
with hostile text in one accepted file. Every table T0..T7, their reconciliation, the workbook, the web page
in a real headless browser, the PDF, and the Prefect artifacts."""

from __future__ import annotations

import pickle
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from html import unescape
from pathlib import Path

import openpyxl
import pypdf
import pytest

from rekap.contract.format import format_rupiah
from rekap.contract.tables import Report
from rekap.intake.folder import pull_local
from rekap.load.load import load_and_roll_up, new_run_id, open_published
from rekap.load.summary import RunSummary
from rekap.report import artifacts
from rekap.report.build import RekonsiliasiError, build_report, reconciliation_mismatches, write_report
from rekap.settings import SAMPLE_DIR, raw_dir_for
from rekap.validation.batch import parse_all, validate_run
from rekap.warehouse.store import connect
from tests.builders import HOSTILE_FILE, TITLE_IF_HACKED, load_hostile_sample
from tests.dashboard_tools import FLAGS, require_chromium

REPO = Path(__file__).resolve().parents[1]
KEYS = ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"]
SHEETS = ["T0 Ringkasan", "T1 Strategi", "T2 OPD", "T3 Matriks 2", "T4 Sumber Dana x Strategi", "T5 Lokasi",
          "T6 Kelengkapan", "T7 Catatan"]  # fmt: skip


@dataclass
class Run:
    report: Report  # Kabupaten Lebak (36.02)
    province: Report  # Provinsi Banten (36): one OPD of its own, and Lebak beside it
    files: dict[str, Path]  # by suffix
    warehouse: Path
    summary: RunSummary
    texts: dict[str, str]
    hits: list[str]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, listener) -> Run:
    if not (SAMPLE_DIR / "daftar_opd.csv").exists():
        pytest.skip(f"the bundled sample is missing: {SAMPLE_DIR}")
    port, hits = listener
    root = tmp_path_factory.mktemp("laporan")
    warehouse, texts, summary = load_hostile_sample(root, port)
    assert summary.pemda == ["36", "36.02"]
    con = open_published(warehouse)
    try:
        report, province = (build_report(con, kode, 2024, 3) for kode in ("36.02", "36"))
    finally:
        con.close()
    paths = write_report(report, root / "laporan")
    return Run(report, province, {p.suffix: p for p in paths}, warehouse, summary, texts, hits)


def column(report: Report, key: str, name: str, level: int | None = 0) -> list:
    table = report.table(key)
    i = [c.name for c in table.columns].index(name)
    return [row[i] for r, row in enumerate(table.rows) if level is None or table.level(r) == level]


def t0_value(report: Report, uraian: str, name: str = "triwulan_ini") -> Decimal:
    table = report.table("t0")
    i = [c.name for c in table.columns].index(name)
    return next(row[i] for row in table.rows if row[0] == uraian)


T0_OF = {"pagu": "Total pagu (Rp)", "realisasi_kumulatif": "Realisasi s.d. triwulan (Rp)"}


def total(values: list) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


# --- the tables ----------------------------------------------------------------------------------


def test_the_hostile_file_was_accepted(run: Run) -> None:
    con = connect(run.warehouse, read_only=True)
    (status,) = con.execute(
        "SELECT status FROM core.submission WHERE nama_berkas = ?", [Path(HOSTILE_FILE).name]
    ).fetchone()
    con.close()
    assert status == "diterima"
    assert run.texts["formula"] in column(run.report, "t3", "uraian")


def test_every_table_in_order_with_exact_money(run: Run) -> None:
    assert [t.key for t in run.report.tables] == KEYS
    for table in run.report.tables:
        assert table.rows, table.key
        for r, row in enumerate(table.rows):
            for c, value in enumerate(row):
                if table.kind(r, c) in ("rupiah", "persen"):
                    assert value is None or isinstance(value, Decimal), (table.key, r, c)


def test_t0_is_this_quarter_beside_the_last_one(run: Run) -> None:
    t0 = run.report.table("t0")
    assert [c.label for c in t0.columns] == ["Uraian", "Triwulan II", "Triwulan III", "Perubahan"]
    assert set(t0.row_kinds) == {"rupiah", "persen", "angka"}
    pagu = t0_value(run.report, "Total pagu (Rp)")
    assert t0_value(run.report, "Total pagu (Rp)", "perubahan") == pagu - t0_value(
        run.report, "Total pagu (Rp)", "triwulan_lalu"
    )
    serapan = t0_value(run.report, "Serapan anggaran (%)")
    realisasi = t0_value(run.report, "Realisasi s.d. triwulan (Rp)")
    assert serapan == (100 * realisasi / pagu).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert t0_value(run.report, "OPD yang wajib melapor") == 18
    assert t0_value(run.report, "OPD ditolak") == 1


def test_all_tables_reconcile_with_t0(run: Run) -> None:
    pagu = t0_value(run.report, "Total pagu (Rp)")
    realisasi = t0_value(run.report, "Realisasi s.d. triwulan (Rp)")
    for key in ("t1", "t2", "t3", "t4", "t5"):
        assert total(column(run.report, key, "pagu")) == pagu, key
        assert total(column(run.report, key, "realisasi_kumulatif")) == realisasi, key
        assert column(run.report, key, "pagu", level=1) == [pagu], key
    assert reconciliation_mismatches(run.report) == []


def test_a_table_that_does_not_add_up_is_reported(run: Run) -> None:
    report = build_report_copy(run)
    t3 = report.table("t3")
    first_detail = t3.levels.index(0)
    del t3.rows[first_detail], t3.levels[first_detail]
    problems = reconciliation_mismatches(report)
    assert problems and all(p.startswith("T3 Matriks 2 (rincian): jumlah baris rincian") for p in problems)


def build_report_copy(run: Run) -> Report:
    con = connect(run.warehouse, read_only=True)
    try:
        return build_report(con, "36.02", 2024, 3)
    finally:
        con.close()


def test_a_mismatch_in_the_warehouse_fails_loudly(run: Run, tmp_path: Path) -> None:
    copy = tmp_path / "gudang.duckdb"
    shutil.copyfile(run.warehouse, copy)
    con = connect(copy)
    con.execute(
        "UPDATE mart.rekap_opd SET pagu = pagu + 1 WHERE triwulan = 3 AND kode_skpd = "
        "(SELECT min(kode_skpd) FROM mart.rekap_opd WHERE pagu IS NOT NULL)"
    )
    threads = "SELECT current_setting('threads')"
    before = con.execute(threads).fetchone()
    with pytest.raises(RekonsiliasiError, match=r"mart\.rekap_opd \(T0, T2\): pagu"):
        build_report(con, "36.02", 2024, 3)
    # The report's queries ran on one thread; the connection has its cores back, even after a failure.
    assert con.execute(threads).fetchone() == before
    con.close()


def test_t3_is_opd_program_kegiatan_sub_kegiatan_with_subtotals(run: Run) -> None:
    t3 = run.report.table("t3")
    names = [c.name for c in t3.columns]
    kode, pagu = names.index("kode"), names.index("pagu")
    assert t3.levels[-1] == 1 and t3.rows[-1][1] == "Jumlah"
    assert {2, 3, 4, 5, 0} <= set(t3.levels)
    # Every parent row carries the sum of the detail rows beneath it, down to the next row of its level or
    # above (levels: 1 total, 2 OPD, 3 program, 4 kegiatan, 5 sub kegiatan, 0 detail).
    for i, level in enumerate(t3.levels):
        if level in (2, 3, 4, 5):
            below = []
            for j in range(i + 1, len(t3.rows)):
                if (t3.levels[j] and t3.levels[j] <= level) or (
                    level == 5 and t3.rows[j][kode] != t3.rows[i][kode]
                ):
                    break
                if t3.levels[j] == 0:
                    below.append(t3.rows[j][pagu])
            assert below and t3.rows[i][pagu] == total(below), (i, t3.rows[i][:2])
        if level == 3:
            assert t3.rows[i][1] == f"Program {t3.rows[i][kode]}" and t3.rows[i][kode].count(".") == 2
        if level == 4:
            assert t3.rows[i][kode].count(".") == 4
    details = [row for row, level in zip(t3.rows, t3.levels, strict=True) if level == 0]
    assert all(row[names.index("sumber_dana")] for row in details)
    # K (volume) in the quarters up to this one, none for TW IV; Rp of TW IV empty at TW III.
    assert any(row[names.index("k1")] is not None for row in details)
    assert all(row[names.index("k4")] is None and row[names.index("tw4")] is None for row in details)


def test_t4_crosses_sumber_dana_and_strategi(run: Run) -> None:
    t4 = run.report.table("t4")
    names = [c.name for c in t4.columns]
    for row in t4.rows:
        parts = [row[names.index(n)] for n in ("pagu_pbp", "pagu_ppd", "pagu_pkk")]
        assert sum(parts) == row[names.index("pagu")], row[0]
    assert t4.rows[-1][0] == "Jumlah"
    assert total(column(run.report, "t4", "porsi_pagu")) == pytest.approx(Decimal(100), abs=Decimal("0.1"))


def test_t5_counts_every_row_once(run: Run) -> None:
    t5 = run.report.table("t5")
    labels = column(run.report, "t5", "wilayah")
    assert "Lintas wilayah / tidak disebut" in labels
    assert "Beberapa kecamatan (dihitung sekali)" in labels
    # Places by the region reference's name; a desa code it does not know (warning W10) keeps its code.
    assert "Kecamatan Bayah" in labels and "Desa Sukaharja" in labels
    assert "Kecamatan Cikulur" in column(run.report, "t5", "wilayah", level=2)
    assert any(label.startswith("Desa/kelurahan 36.02.") for label in labels)
    assert not any(label.startswith("Kecamatan 36.02") for label in labels)
    # A kecamatan broken down by desa: its subtotal equals its rows.
    names = [c.name for c in t5.columns]
    for i, level in enumerate(t5.levels):
        if level == 2:
            j, below = i + 1, []
            while j < len(t5.rows) and t5.levels[j] == 0 and (t5.rows[j][0] or "").startswith(t5.rows[i][0]):
                below.append(t5.rows[j][names.index("pagu")])
                j += 1
            assert below and total(below) == t5.rows[i][names.index("pagu")]


def test_t7_flags_carry_their_figures(run: Run) -> None:
    t7 = run.report.table("t7")
    names = [c.name for c in t7.columns]
    by_flag: dict[str, list] = {}
    for row in t7.rows:
        by_flag.setdefault(row[0], []).append(dict(zip(names, row, strict=True)))
    assert "Pagu berubah sejak triwulan lalu (APBD-P)" in by_flag
    for flag in by_flag["Pagu berubah sejak triwulan lalu (APBD-P)"]:
        assert (
            flag["pembanding_rp"] != flag["pagu"] and flag["keterangan"] == "Pembanding: pagu triwulan lalu"
        )
    statuses = {f["keterangan"] for f in by_flag["OPD belum punya laporan yang diterima untuk triwulan ini"]}
    assert statuses == {"Status: ditolak", "Status: belum menyampaikan"}
    for flag in by_flag.get("Lonjakan: realisasi dalam triwulan lebih dari separuh pagu", []):
        assert flag["realisasi_triwulan"] * 2 > flag["pagu"]


def test_province_report_rolls_up_its_kab_kota(run: Run) -> None:
    province, lebak = run.province, run.report
    assert [t.key for t in province.tables] == [*KEYS, "t8"]
    assert "t8" not in [t.key for t in lebak.tables]
    t8 = province.table("t8")
    assert [row[0] for row in t8.rows] == ["36", "36.02", None]
    assert t8.rows[0][1] == "Provinsi Banten (OPD provinsi)" and t8.rows[1][1] == "Kabupaten Lebak"
    for name in ("pagu", "realisasi_kumulatif"):
        own, kab, jumlah = column(province, "t8", name, level=None)
        assert own == total(column(province, "t1", name)) == t0_value(province, T0_OF[name])
        assert kab == t0_value(lebak, T0_OF[name])
        assert jumlah == own + kab
    # A province's wilayah are its kab/kota: the lokasi (kecamatan, desa of Lebak) fall under 36.02.
    wilayah = column(province, "t5", "kode_wilayah", level=None)
    assert "36.02" in wilayah and all(w is None or w.startswith("36.02") for w in wilayah)
    assert column(province, "t5", "wilayah", level=2) == ["Kabupaten Lebak"]
    # The row placed by kab/kota (36.02) is accepted (rule R12) and counted under it.
    assert "Kabupaten Lebak tanpa rincian kecamatan/desa" in column(province, "t5", "wilayah")
    assert province.nama_pemda == "Provinsi Banten"
    assert reconciliation_mismatches(province) == []


def test_charts_include_lokasi(run: Run) -> None:
    assert set(run.report.charts) == {"serapan_opd", "strategi", "triwulan", "lokasi"}
    lokasi = run.report.charts["lokasi"]
    assert 0 < len(lokasi) <= 10
    assert all(name.startswith("Kecamatan ") and not name.startswith("Kecamatan 36") for name, _ in lokasi)


# --- the workbook --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(run: Run) -> openpyxl.Workbook:
    return openpyxl.load_workbook(run.files[".xlsx"])


def test_one_sheet_per_table_frozen_and_printable(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == SHEETS
    for ws in workbook.worksheets:
        assert ws.freeze_panes == "A4", ws.title
        assert ws.print_title_rows == "$3:$3"
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4


def test_numbers_are_numbers_with_rupiah_and_percent_formats(workbook: openpyxl.Workbook, run: Run) -> None:
    t0 = workbook["T0 Ringkasan"]
    rows = {t0.cell(r, 1).value: r for r in range(4, t0.max_row + 1)}
    pagu = t0.cell(rows["Total pagu (Rp)"], 3)
    assert isinstance(pagu.value, int) and pagu.value == t0_value(run.report, "Total pagu (Rp)")
    assert pagu.number_format == "#,##0"
    serapan = t0.cell(rows["Serapan anggaran (%)"], 3)
    assert serapan.data_type == "n" and serapan.number_format == "0.00"
    assert t0.cell(rows["OPD diterima"], 3).value == 16
    t3 = workbook["T3 Matriks 2"]
    header = [c.value for c in t3[3]]
    col = header.index("Pagu (Rp)") + 1
    assert t3.cell(4, col).data_type == "n" and t3.cell(4, col).number_format in ("#,##0", "#,##0.00")
    assert t3.cell(4, header.index("Serapan Anggaran (%)") + 1).number_format == "0.00"


def test_columns_fit_and_subtotals_are_bold(workbook: openpyxl.Workbook, run: Run) -> None:
    t3 = workbook["T3 Matriks 2"]
    widths = {c: t3.column_dimensions[c].width for c in ("A", "B", "H")}
    assert 20 <= widths["A"] <= 30  # "1.02.0.00.0.00.01.0000"
    assert widths["B"] == pytest.approx(60, abs=1)  # long names wrap
    assert 15 <= widths["H"] <= 25  # pagu in the hundreds of billions
    levels = run.report.table("t3").levels
    for r, level in enumerate(levels[:40]):
        assert bool(t3.cell(4 + r, 2).font.b) == (level > 0), r
    assert t3.cell(3 + len(levels), 2).value == "Jumlah" and t3.cell(3 + len(levels), 8).font.b


def test_submitted_text_never_becomes_a_formula(workbook: openpyxl.Workbook, run: Run) -> None:
    found = {}
    for ws in workbook.worksheets:
        for row in ws.iter_rows(min_row=4):
            for cell in row:
                for name, text in run.texts.items():
                    if cell.value == text:
                        found[name] = cell
    assert set(found) == set(run.texts)
    assert all(cell.data_type == "s" for cell in found.values())
    with zipfile.ZipFile(run.files[".xlsx"]) as xlsx:
        for name in xlsx.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in xlsx.read(name) and b"<hyperlink" not in xlsx.read(name)


# --- the web page in a real browser --------------------------------------------------------------


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    browser = require_chromium()
    profile = tmp_path / f"profil-{len(list(tmp_path.glob('profil-*')))}"
    return subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip


def test_the_browser_harness_would_catch_a_request_and_a_script(run: Run, tmp_path: Path) -> None:
    """Control: the same payload, unescaped and without the page's CSP, does reach the listener."""
    page = tmp_path / "kontrol.html"
    page.write_text(f"<!DOCTYPE html><title>kontrol</title>{run.texts['img']}{run.texts['script']}")
    before = len(run.hits)
    dom = chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", page.as_uri()).stdout
    assert f"<title>{TITLE_IF_HACKED}</title>" in dom
    assert len(run.hits) > before
    del run.hits[before:]


def test_page_renders_with_no_request_and_no_script(run: Run, tmp_path: Path) -> None:
    page = run.files[".html"]
    html = page.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    hits_before = len(run.hits)
    dom = chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", page.as_uri()).stdout
    shot = tmp_path / "laporan.png"
    chromium(tmp_path, "--window-size=412,1400", f"--screenshot={shot}", page.as_uri())
    assert run.hits[hits_before:] == []
    assert TITLE_IF_HACKED not in dom.split("</title>")[0]
    assert "<script" not in dom.lower() and "<img" not in dom.lower() and "<link" not in dom.lower()
    assert "&lt;script&gt;document.title=" in dom
    assert "&lt;img src=" in dom
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    for key in KEYS:
        assert f'id="{key}"' in dom


# A measuring script appended to a copy of a page (its CSP removed): how far each scrolling table is wider
# than its box, and on how many lines each cell value of a letter that must stay whole is drawn.
LAYOUT_PROBE = """<script>
const wider = [...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth - w.clientWidth);
const lines = [...document.querySelectorAll('td.nilai:not(.panjang)')].map(td => {
  const range = document.createRange();
  range.selectNodeContents(td);
  return range.getClientRects().length;
});
document.title = JSON.stringify({wider, lines});
</script>"""


def layout(tmp_path: Path, page: Path, width: int) -> dict[str, list[int]]:
    """`LAYOUT_PROBE`'s measures of `page` in headless Chromium at `width` CSS pixels."""
    import json

    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
    probe = tmp_path / f"ukur-{width}-{page.name}"
    probe.write_text(html.replace("</body>", f"{LAYOUT_PROBE}</body>"), encoding="utf-8")
    dom = chromium(tmp_path, f"--window-size={width},900", "--virtual-time-budget=2000", "--dump-dom",
                   probe.as_uri()).stdout  # fmt: skip
    return json.loads(unescape(re.search(r"<title>(.*?)</title>", dom, re.DOTALL)[1]))


@pytest.mark.parametrize("width", [1280, 412])
def test_follow_up_list_and_letter_read_on_a_desktop_and_a_phone(
    run: Run, tmp_path: Path, width: int
) -> None:
    from rekap.report.letters import write_letters

    con = connect(run.warehouse, read_only=True)
    try:
        written = write_letters(con, "36.02", 2024, 3, tmp_path / "laporan")
    finally:
        con.close()
    (follow_up,) = [p for p in written if p.name.startswith("ringkasan-tindak-lanjut_")]
    letters = [p for p in written if p.name.startswith("surat-") and p.suffix == ".html"]
    assert layout(tmp_path, follow_up, width)["wider"] == [0, 0]  # nothing cut off, no sideways scrolling
    for letter in letters:
        lines = layout(tmp_path, letter, width)["lines"]
        assert lines and set(lines) == {1}, letter.name  # an amount or a code is never broken


def test_screenshot_script_photographs_the_page_and_its_sections(
    run: Run, tmp_path: Path, monkeypatch
) -> None:
    """docs/screenshots.py (which regenerates the guide's images from the demo) on this run's page."""
    import importlib.util
    import struct
    import sys

    require_chromium()
    spec = importlib.util.spec_from_file_location("screenshots", REPO / "docs" / "screenshots.py")
    screenshots = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "screenshots", screenshots)
    spec.loader.exec_module(screenshots)
    shots = {shot.name: shot for shot in screenshots.SHOTS}
    wanted = (shots["laporan-ponsel.png"], shots["laporan-catatan.png"])
    written = screenshots.photograph(run.files[".html"], tmp_path / "img", tmp_path, wanted)
    assert [p.name for p in written] == [shot.name for shot in wanted]
    for path, shot in zip(written, wanted, strict=True):
        png = path.read_bytes()
        width, height = struct.unpack(">II", png[16:24])
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and width == shot.width and 200 < height <= shot.height
        assert 10_000 < len(png) < 300_000  # as the guide's images must be


# --- the PDF -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_pages(run: Run) -> list[str]:
    reader = pypdf.PdfReader(run.files[".pdf"])
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (842, 595)  # A4 landscape
    return [page.extract_text() for page in reader.pages]


def test_pdf_shows_the_totals_as_indonesians_write_them(pdf_pages: list[str], run: Run) -> None:
    text = "\n".join(pdf_pages)
    pagu = format_rupiah(t0_value(run.report, "Total pagu (Rp)"))
    realisasi = format_rupiah(t0_value(run.report, "Realisasi s.d. triwulan (Rp)"))
    assert "." in pagu and pagu in text and realisasi in text
    assert run.report.nama_pemda in text and "Triwulan III" in text
    for table in run.report.tables:
        assert table.title in text
    flat = "".join(text.split())  # lines wrap inside cells
    assert "".join(run.texts["script"].split()) in flat  # shown as text, not swallowed as markup


def test_pdf_repeats_table_headers_on_every_page(pdf_pages: list[str]) -> None:
    flat = ["".join(p.split()) for p in pdf_pages]
    start = next(i for i, p in enumerate(flat) if "T3Matriks2(rincian)" in p)
    end = next(i for i, p in enumerate(flat) if "T4SumberDanaxStrategi" in p)
    assert end - start >= 3  # T3 runs over several pages
    assert all("Program/Kegiatan/SubKegiatan" in p for p in flat[start:end])
    assert all("Halaman" in p for p in pdf_pages)
    assert f"dari {len(pdf_pages)}" in pdf_pages[-1]


def test_pdf_t3_header_names_each_quarter_over_its_k_and_rp(pdf_pages: list[str]) -> None:
    flat = ["".join(p.split()) for p in pdf_pages]
    start = next(i for i, p in enumerate(flat) if "T3Matriks2(rincian)" in p)
    end = next(i for i, p in enumerate(flat) if "T4SumberDanaxStrategi" in p)
    header = "\n".join(line for q in ("I", "II", "III", "IV") for line in (f"TW {q}", "K", "Rp"))
    pages = ["\n".join(line.strip() for line in page.splitlines()) for page in pdf_pages[start:end]]
    assert header in pages[0]
    assert sum(header in page for page in pages) >= len(pages) // 2  # the first part of T3, on each page
    for page in pages:
        assert not {"TW", "IV", "III"} & set(page.splitlines())  # a quarter's name broken over two lines


def test_pdf_is_reproducible(run: Run, tmp_path: Path) -> None:
    from rekap.report.pdf import render_pdf

    again = render_pdf(run.report, tmp_path / "lagi.pdf")
    assert again.read_bytes() == run.files[".pdf"].read_bytes()


def test_pdf_is_rendered_by_reportlabs_c_module_with_the_same_bytes(run: Run, tmp_path: Path) -> None:
    """rl-accel is installed and used; a process without it writes the same file."""
    import reportlab.lib.rl_accel

    assert reportlab.lib.rl_accel.fp_str.__module__ == "_rl_accel"
    without = tmp_path / "tanpa-rl-accel.pdf"
    script = (
        "import pickle, sys; sys.modules['_rl_accel'] = None\n"
        "import reportlab.lib.rl_accel as a; assert a.fp_str.__module__ != '_rl_accel'\n"
        "from rekap.report.pdf import render_pdf\n"
        "render_pdf(pickle.loads(sys.stdin.buffer.read()), __import__('pathlib').Path(sys.argv[1]))\n"
    )
    subprocess.run([sys.executable, "-c", script, str(without)], input=pickle.dumps(run.report), check=True)
    assert without.read_bytes() == run.files[".pdf"].read_bytes()


def test_pdf_cells_are_the_bytes_reportlabs_table_writes(run: Run, tmp_path: Path, monkeypatch) -> None:
    """The table's text cells are written without reportlab's text objects (`cells._Table`), byte for byte
    as reportlab writes them: numbers set to the right, bold subtotals, cells of several lines, and text
    over more than one of the font's subsets (every character the font has, in a detail row of T3)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.platypus import Table

    from rekap.report.pdf import cells, render_pdf
    from rekap.report.pdf.layout import FONT, _register_fonts

    _register_fonts()
    glyphs = [chr(c) for c in sorted(pdfmetrics.getFont(FONT).face.charToGlyph) if c > 32]
    glyphs = [g for g in glyphs if g.isprintable() and not g.isspace() and g != "\xad"]
    assert len(glyphs) > 224  # more than one subset of 8-bit codes
    report = build_report_copy(run)
    t3 = next(t for t in report.tables if t.title.startswith("T3"))
    text = next(i for i, c in enumerate(t3.columns) if c.kind == "teks")
    detail = t3.levels.index(0)
    row = list(t3.rows[detail])
    row[text] = " ".join("".join(glyphs[i : i + 12]) for i in range(0, len(glyphs), 12))
    t3.rows[detail] = tuple(row)

    drawn: list[str] = []
    get = cells._LineTexts.get
    monkeypatch.setattr(cells._LineTexts, "get", lambda self, line: drawn.append(line) or get(self, line))
    ours = render_pdf(report, tmp_path / "ours.pdf").read_bytes()
    assert len(drawn) > 1000 and b"+1 " in ours  # the short path drew the cells, in two subsets

    def reportlabs(self, cellval, cellstyle, pos, size) -> None:  # what cells._Table did before
        if cellval == "" or cellval == ():
            return
        Table._drawCell(self, cellval, cellstyle, pos, size)

    monkeypatch.setattr(cells._Table, "_drawCell", reportlabs)
    assert render_pdf(report, tmp_path / "reportlab.pdf").read_bytes() == ours


# --- Prefect artifacts ---------------------------------------------------------------------------


def test_markdown_artifact_has_the_links_t0_t6_and_the_rejected_files(run: Run) -> None:
    text = artifacts.ringkasan_markdown(run.report, list(run.files.values()))
    assert "## T0 Ringkasan" in text and "## T6 Kelengkapan dan Validasi" in text
    assert format_rupiah(t0_value(run.report, "Total pagu (Rp)")) in text
    assert "<" not in text and artifacts.artifact_key("ringkasan", "36.02") == "ringkasan-36-02"
    rejected = artifacts.ditolak_table(run.report)
    assert len(rejected) == 1 and rejected[0]["Error"] >= 1 and rejected[0]["Kesalahan Utama"]
    section = text.split("## Berkas yang ditolak")[1]
    assert rejected[0]["Nama Berkas"].split(".")[0] in section.replace("\\", "")
    for path in run.files.values():
        assert f"({path.resolve().as_uri()})" in text  # a link to each report file


def test_links_name_a_path_only_the_worker_opens(run: Run) -> None:
    links = artifacts.report_links(run.report, list(run.files.values()))
    assert [link["link"] for link in links] == [
        run.files[s].resolve().as_uri() for s in (".xlsx", ".html", ".pdf")
    ]
    assert all("komputer worker" in link["link_text"] for link in links)


def test_links_go_where_the_report_folder_is_served(run: Run, monkeypatch) -> None:
    monkeypatch.setenv("REKAP_PUBLIC_URL", "https://rekap.lebakkab.go.id/laporan")
    links = artifacts.report_links(run.report, list(run.files.values()))
    assert [link["link"] for link in links] == [
        f"https://rekap.lebakkab.go.id/laporan/laporan-ke_36.02_2024_tw3.{s}" for s in ("xlsx", "html", "pdf")
    ]
    assert not any("worker" in link["link_text"] for link in links)
    monkeypatch.setenv("REKAP_PUBLIC_URL", "javascript:alert(1)//")  # not an address to link to
    assert all(
        link["link"].startswith("file://") for link in artifacts.report_links(run.report, [run.files[".pdf"]])
    )


def test_publish_task_makes_one_artifact_per_report_written(run: Run, tmp_path: Path, monkeypatch) -> None:
    from prefect.logging import disable_run_logger

    import tasks.triwulan as quarter_tasks

    made: list[tuple[str, str]] = []
    monkeypatch.setattr(
        quarter_tasks, "create_markdown_artifact", lambda **kw: made.append((kw["key"], kw["markdown"]))
    )
    summary = RunSummary(run_id="x", tahun=2024, triwulan=3, pemda=["36.02"])
    with disable_run_logger():
        quarter_tasks.publish_reports.fn(summary, run.warehouse, tmp_path)
    ((key, markdown),) = made
    assert key == "ringkasan-36-02" and "laporan-ke_36.02_2024_tw3.pdf" in markdown
    assert summary.reports_current == []

    again = RunSummary(run_id="x", tahun=2024, triwulan=3, pemda=["36.02"])
    with disable_run_logger():
        quarter_tasks.publish_reports.fn(again, run.warehouse, tmp_path)  # the same inputs: nothing to show
    assert len(made) == 1 and again.reports_current == ["36.02"] and again.reports == summary.reports


# --- the stewards' guide -------------------------------------------------------------------------


def test_guide_images_exist_and_are_small() -> None:
    guide = REPO / "docs" / "panduan.md"
    images = re.findall(r"!\[[^\]]*\]\((img/[^)]+\.png)\)", guide.read_text(encoding="utf-8"))
    assert len(images) >= 5
    for image in images:
        path = guide.parent / image
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", image
        assert 10_000 < path.stat().st_size < 300_000, image


# --- the longest texts the limits allow ----------------------------------------------------------

FILE_NAME_BYTES = 255  # the longest file name most file systems take


def longest_texts(limit: int) -> dict[str, str]:
    """Texts an OPD may send in any free-text or identity field, each as long as `limit` allows."""

    def upto(piece: str) -> str:
        return (piece * (limit // len(piece) + 1))[:limit]

    controls = "".join(map(chr, range(32))) + "\x7f\u2028\u2029\ufeff\u00ad\u200b_x0041_ é😀漢字مرحبا "
    return {
        "kata": upto("Pemberdayaan ekonomi keluarga miskin ekstrem di kantong kemiskinan "),
        "satu_kata": upto("36.02.01.2001;"),
        "baris": upto("baris\n"),
        "crlf": upto("baris\r\n"),
        "markup": upto("<script>alert(1)</script></td></tr><b>&amp;</b>"),
        "formula": upto('=HYPERLINK("http://127.0.0.1/x","klik")'),
        "plus": upto("+SUM(1,2)"),
        "minus": upto("-1+2"),
        "at": upto("@SUM(A1)"),
        "kendali": upto(controls),
    }


def file_names() -> list[str]:
    """File names of `FILE_NAME_BYTES` bytes in UTF-8: plain, multi-byte, markup and a formula."""

    def name(stem: str) -> str:
        body = stem * FILE_NAME_BYTES
        while len(f"{body}.xlsx".encode()) > FILE_NAME_BYTES:
            body = body[:-1]
        return f"{body}.xlsx"

    return [name("a"), name("é"), name("<td>&'\" "), name("=1+1 ")]


def as_in_xlsx(text: str) -> str:
    """`text` as openpyxl reads it back: control characters other than tab and line feed are stored as
    `_xHHHH_`, which Excel (not openpyxl) turns back into the character."""
    return re.sub(r"[\x00-\x08\x0b-\x1f]", lambda m: f"_x{ord(m[0]):04X}_", text)


@pytest.fixture(scope="module")
def long_report(run: Run) -> tuple[Report, dict[tuple[str, int, int], str]]:
    """The sample's report with the longest texts in every text cell of every table (a file name in the
    columns that name a file), in the pemda's name and in every chart label. Each table keeps as many rows
    as there are texts, so that every column gets every text."""
    from rekap.settings import Limits

    report = build_report_copy(run)
    texts, names = list(longest_texts(Limits().max_cell_chars).values()), file_names()
    placed: dict[tuple[str, int, int], str] = {}
    for table in report.tables:
        del table.rows[len(texts) :], table.levels[len(texts) :], table.row_kinds[len(texts) :]
        text_columns = [c for c, column in enumerate(table.columns) if column.kind == "teks"]
        for r, row in enumerate(table.rows):
            cells = list(row)
            for c in text_columns:
                pool = names if table.columns[c].name in ("nama_berkas", "dipakai") else texts
                cells[c] = placed[table.key, r, c] = pool[(r + c) % len(pool)]
            table.rows[r] = tuple(cells)
    report.nama_pemda = longest_texts(Limits().max_cell_chars)["kendali"]
    for key, rows in report.charts.items():
        if key != "triwulan":
            report.charts[key] = [(texts[i % len(texts)], *row[1:]) for i, row in enumerate(rows)]
    return report, placed


def test_longest_texts_cover_every_text_column(long_report) -> None:
    report, placed = long_report
    for table in report.tables:
        for c, column in enumerate(table.columns):
            if column.kind == "teks" and table.rows:
                assert any((table.key, r, c) in placed for r in range(len(table.rows))), (table.key, c)
    assert set(placed.values()) == {*longest_texts(5_000).values(), *file_names()}


def test_workbook_holds_the_longest_texts_exactly_and_inert(long_report, tmp_path: Path) -> None:
    from rekap.report.workbook import render_workbook, sheet_names

    report, placed = long_report
    path = render_workbook(report, tmp_path / "panjang.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheets = dict(
        zip([t.key for t in report.tables], sheet_names(t.title for t in report.tables), strict=True)
    )
    for (key, r, c), text in placed.items():
        cell = workbook[sheets[key]].cell(4 + r, 1 + c)
        assert cell.data_type == "s" and cell.value == as_in_xlsx(text), (key, r, c)
    assert workbook[sheets["t0"]]["A2"].value.startswith(as_in_xlsx(report.nama_pemda))
    with zipfile.ZipFile(path) as xlsx:
        for name in xlsx.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in xlsx.read(name) and b"<hyperlink" not in xlsx.read(name)


def test_page_escapes_the_longest_texts(long_report, tmp_path: Path) -> None:
    from markupsafe import escape

    from rekap.report.page import render_html

    report, placed = long_report
    html = render_html(report, tmp_path / "panjang.html").read_bytes().decode("utf-8")  # "\r" as written
    for text in set(placed.values()):
        assert str(escape(text)) in html
    assert "<script" not in html.lower() and "</td></tr><b>" not in html
    assert html.count('class="teks panjang"') + html.count('class="teks lebar panjang"') > 0
    assert f"<h1>{escape(report.nama_pemda)}</h1>" in html


def test_pdf_with_the_longest_texts_is_written_with_every_table(long_report, tmp_path: Path) -> None:
    from rekap.report.pdf import CLIPPED, render_pdf

    report, _ = long_report
    reader = pypdf.PdfReader(render_pdf(report, tmp_path / "panjang.pdf"))
    flat = "".join("".join(page.extract_text().split()) for page in reader.pages)
    for table in report.tables:
        assert "".join(table.title.split()) in flat, table.key
    assert "".join(CLIPPED.split()) in flat  # a cut text says so


# --- one figure, one value: the sample quarter by quarter ----------------------------------------


@dataclass
class Quarters:
    reports: dict[int, Report]  # TW I, II, III, each built from the warehouse after the three runs
    as_run: dict[int, Report]  # each built right after its own run


@pytest.fixture(scope="module")
def quarters(tmp_path_factory: pytest.TempPathFactory) -> Quarters:
    """The sample run quarter by quarter into one warehouse, as a pemda runs it: TW I, then II, then III."""
    from rekap.warehouse.store import seen_hashes

    if not (SAMPLE_DIR / "daftar_opd.csv").exists():
        pytest.skip(f"the bundled sample is missing: {SAMPLE_DIR}")
    root = tmp_path_factory.mktemp("per-triwulan")
    warehouse, daftar = root / "gudang" / "gudang-ke.duckdb", SAMPLE_DIR / "daftar_opd.csv"
    as_run = {}
    for q in (1, 2, 3):
        incoming = pull_local(SAMPLE_DIR, raw_dir_for(warehouse), seen_hashes(warehouse), {daftar})
        checked = validate_run(parse_all(incoming), incoming, 2024, q, "36.02")
        load_and_roll_up(checked, warehouse, daftar, new_run_id())
        con = open_published(warehouse)
        try:
            as_run[q] = build_report(con, "36.02", 2024, q)  # raises if it does not add up
        finally:
            con.close()
    con = open_published(warehouse)
    try:
        return Quarters({q: build_report(con, "36.02", 2024, q) for q in (1, 2, 3)}, as_run)
    finally:
        con.close()


@pytest.mark.parametrize("q", [1, 2, 3])
def test_every_table_agrees_with_t0_in_every_quarter(quarters: Quarters, q: int) -> None:
    for report in (quarters.reports[q], quarters.as_run[q]):
        for name in ("pagu", "realisasi_kumulatif"):
            acuan = t0_value(report, T0_OF[name])
            for key in ("t1", "t2", "t3", "t4", "t5"):
                assert total(column(report, key, name)) == acuan, (q, key, name)
                assert column(report, key, name, level=1) == [acuan], (q, key, name)
        dalam = t0_value(report, "Realisasi dalam triwulan (Rp)")
        assert total(column(report, "t1", "realisasi_triwulan")) == dalam
        assert column(report, "t1", "realisasi_triwulan", level=1) == [dalam]


@pytest.mark.parametrize("q", [1, 2, 3])
def test_each_quarter_has_one_realization_in_every_report(quarters: Quarters, q: int) -> None:
    """T2's TW I..IV columns and the chart of a quarter's report give each earlier quarter the figure T0 of
    that quarter's own report gives, OPD by OPD too, whatever the OPD's state now."""
    report = quarters.reports[q]
    chart = dict(report.charts["triwulan"])
    for p in range(1, q + 1):
        own = quarters.reports[p]
        dalam = t0_value(own, "Realisasi dalam triwulan (Rp)")
        assert total(column(report, "t2", f"tw{p}")) == dalam, (q, p)
        assert column(report, "t2", f"tw{p}", level=1) == [dalam], (q, p)
        assert chart[p] == dalam, (q, p)
        by_opd = dict(zip(column(own, "t2", "kode_skpd"), column(own, "t2", f"tw{p}"), strict=True))
        assert (
            dict(zip(column(report, "t2", "kode_skpd"), column(report, "t2", f"tw{p}"), strict=True))
            == by_opd
        )
    for p in range(q + 1, 5):
        assert set(column(report, "t2", f"tw{p}", level=None)) == {None}
    if q > 1:  # T0's previous quarter is that quarter's own T0, figure by figure
        lalu = quarters.reports[q - 1].table("t0")
        assert column(report, "t0", "triwulan_lalu") == column(quarters.reports[q - 1], "t0", "triwulan_ini")
        assert column(report, "t0", "uraian") == [row[0] for row in lalu.rows]


def test_t2_shows_earlier_quarters_of_an_opd_without_an_accepted_report(quarters: Quarters) -> None:
    """In the sample's TW III, one OPD's file is rejected and one sent nothing: both have TW I and TW II."""
    report = quarters.reports[3]
    rows = {r[0]: dict(zip([c.name for c in report.table("t2").columns], r, strict=True))
            for r in report.table("t2").rows if r[0]}  # fmt: skip
    waiting = [row for row in rows.values() if not row["status"].startswith("diterima")]
    assert {row["status"] for row in waiting} == {"ditolak", "belum menyampaikan"}
    for row in waiting:
        assert row["tw1"] and row["tw2"] and row["tw3"] is None and row["realisasi_kumulatif"] is None


def test_t6_revision_is_t2s(quarters: Quarters) -> None:
    for report in quarters.reports.values():
        t2 = {r[0]: r[-1] for r in report.table("t2").rows if r[0]}
        names = [c.name for c in report.table("t6").columns]
        for row in report.table("t6").rows:
            t6 = dict(zip(names, row, strict=True))
            if t6["status_berkas"] == "diterima":
                assert t2[t6["kode_skpd"]] == f"revisi {t6['revisi']}: {t6['nama_berkas']}"
            elif t6["menyampaikan"] == "ya":
                assert isinstance(t6["revisi"], int)
