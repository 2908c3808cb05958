"""The dashboard over a real warehouse of the bundled sample (hostile text in one accepted file, a province
file placed by kab/kota, household counts loaded with `rekap sasaran`): served by the real app on a real
port, read over HTTP and in a real headless Chromium, and exported as a static folder. Every figure on a
page equals the report workbook's cell."""

from __future__ import annotations

import base64
import contextlib
import csv
import re
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from rekap.cli.main import main
from rekap.contract.tables import Report
from rekap.dasbor.app import create_app
from rekap.load.sasaran import load_sasaran
from rekap.report.build import build_report
from rekap.report.lineage import lineage
from rekap.report.workbook import FIRST_DATA_ROW, render_workbook, sheet_names
from rekap.settings import raw_dir_for
from rekap.warehouse.store import connect
from tests.builders import TITLE_IF_HACKED, load_hostile_sample  # the same hostile sample as the report's
from tests.dashboard_tools import Chromium, ServerThread, get, page_tables, same_figure

LEBAK, BANTEN = "36.02", "36"
TW3 = f"{LEBAK}/2024/tw3"
HOSTILE_OPD = "2.16.2.20.2.21.01.0000"  # Diskominfo, whose TW III file carries the hostile text
TOKEN = "rahasia-dasbor-uji-0123456789"


@dataclass
class Sample:
    warehouse: Path
    lebak: Report
    province: Report
    workbook: openpyxl.Workbook
    province_workbook: openpyxl.Workbook
    texts: dict[str, str]
    hits: list[str]
    url: str


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, listener) -> Sample:
    port, hits = listener
    root = tmp_path_factory.mktemp("dasbor")
    warehouse, texts, _ = load_hostile_sample(root, port)
    counts = root / "sasaran.csv"
    with counts.open("w", encoding="utf-8", newline="") as out:  # desa T5 names, and one no row reaches
        csv.writer(out).writerows(
            [
                ["Kode Desa", "Jumlah KK Miskin Ekstrem"],
                ["36.02.02.2004", 40],
                ["36.02.08.2005", 25],
                ["36.02.17.2003", 60],
                ["36.02.01.2002", 75],
            ]
        )
    assert load_sasaran(counts, 2024, warehouse).diterima
    con = connect(warehouse, read_only=True)
    try:
        lebak, province = (build_report(con, kode, 2024, 3) for kode in (LEBAK, BANTEN))
    finally:
        con.close()
    books = [
        openpyxl.load_workbook(render_workbook(r, root / f"{r.file_stem}.xlsx")) for r in (lebak, province)
    ]
    return Sample(warehouse, lebak, province, *books, texts, hits, "")


@pytest.fixture(scope="module")
def served(sample: Sample):
    with ServerThread(create_app(sample.warehouse)) as server:
        sample.url = server.url
        yield sample


def html(s: Sample, path: str) -> str:
    status, headers, body = get(s.url + path)
    assert status == 200, (path, status, body[:300])
    assert headers["content-type"].startswith("text/html")
    return body.decode("utf-8")


def sheet_rows(book: openpyxl.Workbook, report: Report, key: str) -> list[tuple]:
    names = dict(
        zip((t.key for t in report.tables), sheet_names(t.title for t in report.tables), strict=True)
    )
    ws = book[names[key]]
    width = len(report.table(key).columns)
    return [row[:width] for row in ws.iter_rows(min_row=FIRST_DATA_ROW + 1, values_only=True)]


def assert_same_cells(shown: list, book_rows: list[tuple], key: str, titled: set[int] = frozenset()) -> None:
    """A page's table equals the workbook's sheet, row by row and cell by cell."""
    assert len(shown) == len(book_rows), (key, len(shown), len(book_rows))
    for r, ((_, cells), row) in enumerate(zip(shown, book_rows, strict=True)):
        assert len(cells) == len(row), (key, r)
        for c, ((text, value, title), cell) in enumerate(zip(cells, row, strict=True)):
            if c in titled:  # shown by name; the codes, as the workbook has them, are the cell's title
                text = title or ""
            assert same_figure(value, text, cell), (key, r, c, text, value, cell)


# --- every page, every figure -------------------------------------------------------------------------


def test_every_page_answers_with_its_guards(served: Sample) -> None:
    pages = [
        "",
        "index.html",
        f"{TW3}/ringkasan.html",
        f"{TW3}/opd.html",
        f"{TW3}/lokasi.html",
        f"{TW3}/kelengkapan.html",
        f"{TW3}/asal.html",
        f"{TW3}/asal/{HOSTILE_OPD}.html",
        f"provinsi/{BANTEN}/2024/tw3.html",
        "nasional/2024/tw3.html",
        f"{BANTEN}/2024/tw3/ringkasan.html",
    ]
    for path in pages:
        status, headers, body = get(served.url + path)
        assert status == 200, (path, body[:200])
        assert "default-src 'none'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff" and headers["cache-control"] == "no-store"
        assert re.fullmatch(r"app;dur=\d+\.\d", headers["server-timing"])
        assert b"Kabupaten Lebak" in body or b"Provinsi Banten" in body
    for path in (
        f"{LEBAK}/2024/tw4/ringkasan.html",
        f"{TW3}/opd/9.99.9.99.9.99.99.9999.html",
        "../etc/passwd",
        f"{TW3}/surat/{HOSTILE_OPD}.html",
        "36.99/2024/tw3/ringkasan.html",
    ):
        assert get(served.url + path)[0] == 404, path


def test_figures_equal_the_report_workbook_cell_for_cell(served: Sample) -> None:
    s = served
    pages = {"ringkasan": ("t0", "t1", "t7"), "opd": ("t2",), "lokasi": ("t5",), "kelengkapan": ("t6",)}
    for page, keys in pages.items():
        tables = page_tables(html(s, f"{TW3}/{page}.html"))
        for key in keys:
            assert_same_cells(tables[key], sheet_rows(s.workbook, s.lebak, key), key)
    # T3, OPD by OPD: each OPD's Matriks 2 page is its block of the sheet, in order, down to the total.
    t3: list = []
    for kode in [row[0] for row in s.lebak.table("t2").rows if row[0]]:
        t3 += page_tables(html(s, f"{TW3}/opd/{kode}.html")).get("t3", [])
    lokasi = [c.name for c in s.lebak.table("t3").columns].index("lokasi")
    assert_same_cells(t3, sheet_rows(s.workbook, s.lebak, "t3")[:-1], "t3", titled={lokasi})
    province = page_tables(html(s, f"provinsi/{BANTEN}/2024/tw3.html"))
    assert_same_cells(province["t8"], sheet_rows(s.province_workbook, s.province, "t8"), "t8")


def test_dashboard_tables_agree_with_the_report(served: Sample) -> None:
    s = served
    t0 = {row[0]: row for row in s.lebak.table("t0").rows}
    progress = {
        cells[0][0]: cells for _, cells in page_tables(html(s, f"{TW3}/ringkasan.html"))["perkembangan"]
    }
    assert list(progress) == ["TW I 2024", "TW II 2024", "TW III 2024"]
    for periode, i in (("TW III 2024", 2), ("TW II 2024", 1)):
        cells = progress[periode]
        for c, uraian in (
            (1, "Total pagu (Rp)"),
            (2, "Realisasi dalam triwulan (Rp)"),
            (3, "Realisasi s.d. triwulan (Rp)"),
            (4, "Serapan anggaran (%)"),
            (5, "Sasaran KK yang dijangkau"),
            (6, "OPD diterima"),
            (7, "OPD yang wajib melapor"),
        ):
            assert cells[c][1] is not None and float(cells[c][1]) == float(t0[uraian][i]), (periode, uraian)
    # Nasional: the row of a province is the Jumlah of its T8.
    nasional = {cells[0][0]: cells for _, cells in page_tables(html(s, "nasional/2024/tw3.html"))["nasional"]}
    jumlah = s.province.table("t8").rows[-1]
    assert nasional[BANTEN][1][0] == "Provinsi Banten"
    for c_page, c_t8 in ((4, 3), (5, 5), (6, 6), (7, 7), (8, 8), (9, 9)):
        assert float(nasional[BANTEN][c_page][1]) == float(jumlah[c_t8]), c_t8
    # Coverage per desa: the desa rows of T5, with the households in need; a desa no row reaches is listed.
    t5 = s.lebak.table("t5")
    names = [c.name for c in t5.columns]
    by_desa = {
        row[0]: row for r, row in enumerate(t5.rows) if t5.level(r) == 0 and row[0] and row[0].count(".") == 3
    }
    cakupan = {cells[0][0]: cells for _, cells in page_tables(html(s, f"{TW3}/lokasi.html"))["cakupan"]}
    assert set(by_desa) <= set(cakupan) and "36.02.01.2002" in cakupan
    assert cakupan["36.02.01.2002"][3][1] == "75" and cakupan["36.02.01.2002"][4][1] == "0"
    for kode, row in by_desa.items():
        assert cakupan[kode][1][0] == row[1]
        for c_page, name in (
            (3, "kk_miskin_ekstrem"),
            (4, "sasaran_kk"),
            (5, "persen_cakupan"),
            (7, "realisasi_kumulatif"),
        ):
            value = row[names.index(name)]
            assert (
                (cakupan[kode][c_page][1] is None)
                if value is None
                else float(cakupan[kode][c_page][1]) == float(value)
            )


def test_asal_shows_the_rows_rekap_asal_gives(served: Sample) -> None:
    s = served
    t3 = s.lebak.table("t3")
    names = [c.name for c in t3.columns]
    detail = next(row for r, row in enumerate(t3.rows) if t3.level(r) == 0)
    opd = next(row[0] for r, row in enumerate(t3.rows[: t3.rows.index(detail)]) if t3.level(r) == 2)
    key = (opd, detail[names.index("kode")], detail[names.index("sumber_dana")])
    shown = page_tables(html(s, f"{TW3}/asal/{'/'.join(key)}.html"))["asal"]
    con = connect(s.warehouse, read_only=True)
    try:
        columns, rows = lineage(con, LEBAK, 2024, 3, *key)
    finally:
        con.close()
    assert len(shown) == len(rows) >= 1
    for (_, cells), row in zip(shown, rows, strict=True):
        record = dict(zip(columns, row, strict=True))
        assert [cells[0][0], cells[1][0], cells[2][0], cells[5][0]] == [
            record["kode_skpd"],
            record["kode_sub_kegiatan"],
            record["sumber_dana"],
            record["nama_berkas"],
        ]
        assert int(cells[7][1]) == record["baris"]


def test_places_and_headers_by_name(served: Sample) -> None:
    lokasi = html(served, f"{TW3}/lokasi.html")
    assert "Kecamatan Cikulur" in lokasi and "Desa Sukaharja" in lokasi and "Kecamatan 36.02.17" not in lokasi
    rinci = page_tables(html(served, f"{TW3}/opd/1.06.0.00.0.00.01.0000.html"))["t3"]
    placed = [cells for _, cells in rinci if cells[20][2]]
    assert placed and all(cells[20][0] != cells[20][2] for cells in placed if cells[20][2] != "SEMUA")
    assert "<h1>Provinsi Banten</h1>" in html(served, f"provinsi/{BANTEN}/2024/tw3.html")


# --- access ------------------------------------------------------------------------------------------


def test_read_only_and_local_only(served: Sample) -> None:
    url = served.url + f"{TW3}/ringkasan.html"
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert get(url, method=method)[0] == 405, method
    assert get(url, headers={"Host": "dasbor.contoh.go.id"})[0] == 421
    digest = next(iter((raw_dir_for(served.warehouse)).glob("*/*"))).name[:64]
    assert get(served.url + f"berkas/{digest}")[0] == 403  # downloads are off unless enabled


def test_a_networked_dashboard_wants_the_token_and_downloads_only_with_it(sample: Sample) -> None:
    with pytest.raises(ValueError, match="token"):
        create_app(sample.warehouse, unduh=True)
    raw = next(p for p in raw_dir_for(sample.warehouse).glob("*/*") if p.suffix == ".xlsx")
    app = create_app(
        sample.warehouse, token=TOKEN, unduh=True, raw_dir=raw_dir_for(sample.warehouse), lokal=False
    )
    with ServerThread(app) as server:
        page, download = server.url + f"{TW3}/ringkasan.html", server.url + f"berkas/{raw.stem}"
        basic = {"Authorization": "Basic " + base64.b64encode(f"pengelola:{TOKEN}".encode()).decode()}
        for headers in (
            {},
            {"Authorization": "Bearer salah"},
            {"Authorization": "Basic !!"},
            {"Authorization": "Basic " + base64.b64encode(b"x:salah").decode()},
        ):
            status, answer, _ = get(page, headers)
            assert status == 401 and answer["www-authenticate"].startswith("Basic"), headers
            assert get(download, headers)[0] == 401
        assert get(page, basic)[0] == 200
        assert get(page, {"Authorization": f"Bearer {TOKEN}"})[0] == 200
        status, answer, body = get(download, basic)
        assert status == 200 and body == raw.read_bytes()
        assert answer["content-type"] == "application/octet-stream"
        assert answer["content-disposition"].startswith("attachment;")
        assert get(server.url + "berkas/" + "0" * 64, basic)[0] == 404
        assert f"berkas/{raw.stem}".encode() in get(server.url + f"{TW3}/asal.html", basic)[2]


def test_the_command_refuses_a_network_without_a_token(sample: Sample, monkeypatch, capsys) -> None:
    monkeypatch.delenv("REKAP_DASBOR_TOKEN", raising=False)
    base = ["dasbor", "--warehouse", str(sample.warehouse)]
    assert main([*base, "--host", "0.0.0.0"]) == 2
    assert main([*base, "--host", "0.0.0.0", "--jaringan"]) == 2
    assert main([*base, "--unduh-berkas"]) == 2
    monkeypatch.setenv("REKAP_DASBOR_TOKEN", "pendek")
    assert main([*base, "--host", "0.0.0.0", "--jaringan"]) == 2
    assert main([*base, "--ekspor", str(sample.warehouse.parent / "x")]) == 2  # which pemda?
    err = capsys.readouterr().err
    assert "--jaringan" in err and "REKAP_DASBOR_TOKEN" in err and "terlalu pendek" in err


# --- the static export --------------------------------------------------------------------------------

HREF = re.compile(r"""\b(href|src|action)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


@pytest.fixture(scope="module")
def exported(served: Sample, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ekspor") / "dasbor-lebak"
    args = ["dasbor", "--warehouse", str(served.warehouse), "--ekspor", str(out), "--pemda", LEBAK]
    assert main([*args, "--tahun", "2024", "--triwulan", "3"]) == 0
    return out


def test_the_export_is_self_contained_and_shows_the_served_figures(served: Sample, exported: Path) -> None:
    pages = sorted(exported.rglob("*.html"))
    assert exported / "index.html" in pages and len(pages) > 50
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert ' data-api="' not in text and "berkas/" not in text
        for attribute, target in HREF.findall(text):
            assert attribute.lower() == "href" and not re.match(r"^([a-z]+:|//|/)", target, re.I), (
                page,
                target,
            )
            if target:
                assert (page.parent / target).resolve().is_file(), (page, target)
    served_tables = page_tables(html(served, f"{TW3}/ringkasan.html"))
    assert page_tables((exported / TW3 / "ringkasan.html").read_text(encoding="utf-8")) == served_tables
    # An export replaces its own earlier export, never a folder of something else.
    args = [
        "dasbor",
        "--warehouse",
        str(served.warehouse),
        "--pemda",
        LEBAK,
        "--tahun",
        "2024",
        "--triwulan",
        "1",
    ]
    assert main([*args, "--ekspor", str(exported)]) == 0
    assert not (exported / TW3).exists() and (exported / f"{LEBAK}/2024/tw1/ringkasan.html").is_file()
    other = exported.parent / "lain"
    other.mkdir()
    (other / "catatan.txt").write_text("milik orang lain")
    assert main([*args, "--ekspor", str(other)]) == 2 and (other / "catatan.txt").exists()


# --- in a real browser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    chromium = Chromium(tmp_path_factory.mktemp("chromium"))
    yield chromium
    chromium.close()


def only_local(browser: Chromium, since: int, base: str) -> None:
    requested = browser.requests()[since:]
    assert requested and all(u.startswith((base, "file://", "data:", "about:")) for u in requested), requested


def test_in_a_browser_the_pages_show_the_samples_figures(served: Sample, browser: Chromium) -> None:
    t0 = {row[0]: row for row in served.lebak.table("t0").rows}
    since = len(browser.requests())
    browser.goto(served.url)
    browser.click_and_wait(f'a[href="{TW3}/ringkasan.html"]')
    text = browser.js("document.body.innerText")
    assert "Kabupaten Lebak" in text and "Rp" in text
    pagu = browser.js("document.querySelector('#t0 tbody tr td:nth-child(3)').textContent")
    assert pagu == format(t0["Total pagu (Rp)"][2], ",.0f").replace(",", ".")
    for path, words in (
        (f"{TW3}/lokasi.html", ("Kecamatan Cikulur", "Cakupan KK")),
        (f"{TW3}/kelengkapan.html", ("belum menyampaikan", "Surat untuk OPD")),
        (f"provinsi/{BANTEN}/2024/tw3.html", ("Kabupaten Lebak", "Provinsi Banten (OPD provinsi)")),
        ("nasional/2024/tw3.html", ("Jumlah nasional", "Provinsi Banten")),
    ):
        browser.goto(served.url + path)
        shown = browser.js("document.body.innerText")
        assert all(w in shown for w in words), (path, words)
    only_local(browser, since, served.url)
    assert browser.errors() == []


def visible_rows(browser: Chromium, table: str) -> list[str]:
    return browser.js(
        f"Array.from(document.querySelectorAll('#{table} tbody tr')).filter(r => !r.hidden)"
        ".map(r => r.getAttribute('data-tingkat') + '|' + r.innerText)"
    )


def pagu_column(browser: Chromium) -> list[str | None]:
    """The exact pagu of T2's detail rows, in the order shown."""
    cells = "#t2 tbody tr[data-tingkat='0'] td:nth-child(4)"
    return browser.js(
        f'Array.from(document.querySelectorAll("{cells}")).map(td => td.getAttribute("data-v"))'
    )


def type_filter(browser: Chromium, table: str, text: str) -> None:
    """Type `text` into the filter box of `table`, as a user does."""
    box = f"document.querySelector('input[data-saring=\"{table}\"]')"
    browser.js(f"const i = {box}; i.value = {text!r}; i.dispatchEvent(new Event('input'))")


def test_in_a_browser_drill_down_sort_and_filter(served: Sample, browser: Chromium) -> None:
    since = len(browser.requests())
    browser.goto(served.url + f"{TW3}/ringkasan.html")
    browser.click_and_wait('nav.menu a[href="opd.html"]')
    # Sort T2 by pagu: the detail rows in order, the total kept last; again, the other way.
    browser.js("document.querySelectorAll('#t2 thead th button')[3].click()")
    values = pagu_column(browser)
    numbers = [float(v) for v in values if v is not None]
    assert (
        numbers == sorted(numbers)
        and browser.js("document.querySelector('#t2 tbody tr:last-child').getAttribute('data-tingkat')")
        == "1"
    )
    browser.js("document.querySelectorAll('#t2 thead th button')[3].click()")
    values = pagu_column(browser)
    assert [float(v) for v in values if v is not None] == sorted(numbers, reverse=True)
    # Filter: only the OPDs with the word, and the count says how many.
    type_filter(browser, "t2", "dinas sosial")
    rows = [r for r in visible_rows(browser, "t2") if r.startswith("0|")]
    assert len(rows) == 1 and "Dinas Sosial" in rows[0]
    assert browser.js("document.getElementById('t2-jumlah').textContent") == "1 baris rincian cocok"
    # Down: the OPD's Matriks 2, fold a program, filter by sumber dana, then the rows behind a figure.
    browser.click_and_wait('#t2 a[href="opd/1.06.0.00.0.00.01.0000.html"]')
    every = visible_rows(browser, "t3")
    assert (
        every[0].startswith("2|")
        and any(r.startswith("3|") for r in every)
        and any(r.startswith("0|") for r in every)
    )
    browser.js("document.querySelector('#t3 tbody tr[data-tingkat=\"2\"] button.lipat').click()")
    assert len(visible_rows(browser, "t3")) == 1
    browser.js("document.querySelector('#t3 tbody tr[data-tingkat=\"2\"] button.lipat').click()")
    assert len(visible_rows(browser, "t3")) == len(every)
    type_filter(browser, "t3", "PAD")
    shown = visible_rows(browser, "t3")
    assert 1 < len(shown) < len(every) and all("pad" in r.lower() for r in shown if r.startswith("0|"))
    assert any("\tPAD\t" in r for r in shown if r.startswith("0|"))
    assert shown[0].startswith("2|")  # the OPD row stays above the rows it holds
    browser.click_and_wait('#t3 tbody tr[data-tingkat="0"] a')
    assert browser.js("document.querySelectorAll('#asal tbody tr').length") >= 1
    assert "Sheet" in browser.js("document.querySelector('#asal thead').innerText")
    only_local(browser, since, served.url)
    assert browser.errors() == []


def test_in_a_browser_submitted_text_shows_as_text(served: Sample, browser: Chromium) -> None:
    hits = len(served.hits)
    browser.goto(served.url + f"{TW3}/opd/{HOSTILE_OPD}.html")
    text = browser.js("document.body.innerText")
    for name in ("script", "img", "formula"):
        assert served.texts[name] in text, name
    assert browser.js("document.title") != TITLE_IF_HACKED and TITLE_IF_HACKED not in browser.js(
        "document.title"
    )
    assert browser.js("document.querySelectorAll('img, link, iframe, object').length") == 0
    assert browser.js("document.scripts.length") == 1  # the dashboard's own
    browser.goto(served.url + f"{TW3}/ringkasan.html")  # T7 quotes sub kegiatan names too
    assert served.hits[hits:] == []
    assert browser.errors() == []


def test_in_a_browser_a_phone_reads_it_and_the_export_works_from_disk(
    served: Sample, browser: Chromium, exported: Path
) -> None:
    browser.call(
        "Emulation.setDeviceMetricsOverride", width=412, height=900, deviceScaleFactor=1, mobile=True
    )
    try:
        for path in ("ringkasan", "opd", "lokasi"):
            browser.goto(served.url + f"{TW3}/{path}.html")
            assert browser.js("document.documentElement.scrollWidth") <= 412, path  # tables scroll inside
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")
    since = len(browser.requests())
    page = next(exported.rglob("opd.html"))
    browser.goto(page.as_uri())
    browser.js("document.querySelectorAll('#t2 thead th button')[3].click()")
    assert browser.js("document.querySelectorAll('#t2 thead th')[3].getAttribute('aria-sort')") == "ascending"
    browser.click_and_wait('nav.menu a[href="ringkasan.html"]')
    assert "Ringkasan" in browser.js("document.title")
    assert all(u.startswith(("file://", "data:")) for u in browser.requests()[since:]), browser.requests()[
        since:
    ]
    assert browser.errors() == []


# --- the guides' examples ------------------------------------------------------------------------------


def test_the_guides_dashboard_commands_serve_the_sample(served: Sample, tmp_path: Path) -> None:
    """Every example marked `uji: dasbor` in the README and the guides starts the dashboard as written, in a
    folder where the warehouse is where the example says (given, or the default), with a token in the
    environment; on a free port instead of the one written, which another process may hold."""
    from tests.examples import DOCS, environment, shell_blocks

    work = tmp_path / "kerja"
    for place in ("gudang", "keluaran"):
        (work / place).mkdir(parents=True)
        (work / place / "gudang-ke.duckdb").symlink_to(served.warehouse)
    env = {**environment(tmp_path / "prefect"), "REKAP_DASBOR_TOKEN": TOKEN}
    commands = [c for doc in DOCS for b in shell_blocks(doc) if b.mark == "dasbor" for c in b.commands]
    assert len(commands) >= 4 and all(c.startswith("rekap dasbor") for c in commands)
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    for command in commands:
        port = free_port()
        process = subprocess.Popen(
            ["bash", "-c", f"exec {command} --port {port}"],
            cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            deadline, status = time.monotonic() + 60, None
            while status != 200 and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.2)
                with contextlib.suppress(OSError):
                    status = get(f"http://127.0.0.1:{port}/{TW3}/ringkasan.html", bearer)[0]
        finally:
            process.terminate()
            output = process.communicate(timeout=30)[0]
        assert status == 200, (command, output[-2000:])
        assert "Traceback" not in output, output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
