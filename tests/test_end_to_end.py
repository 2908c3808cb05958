"""The quarter end to end through a real Prefect flow run: the bundled sample, TW I then TW II then TW III,
every mart figure checked against totals computed from the generator's own data (never from the
warehouse), then a folder with a broken file, and the CLI's exit statuses."""

from __future__ import annotations

import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from rekap.cli.main import main as rekap_main
from rekap.settings import SAMPLE_DIR
from rekap.warehouse.store import connect
from sample import Recipe, accepted_rows, build

SAMPLE = build(Recipe())


def expected_opd(triwulan: int) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    """Per OPD: (pagu, realisasi triwulan, realisasi kumulatif) from the generator's truth."""
    out = {}
    for kode_skpd, rows in accepted_rows(SAMPLE, triwulan).items():
        out[kode_skpd] = (
            sum((r.pagu for r in rows), Decimal(0)),
            sum((r.realisasi_triwulan for r in rows), Decimal(0)),
            sum((r.realisasi_kumulatif for r in rows), Decimal(0)),
        )
    return out


def expected_strategi(triwulan: int) -> dict[str, list[Decimal]]:
    out: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    for rows in accepted_rows(SAMPLE, triwulan).values():
        for r in rows:
            acc = out[r.strategi]
            out[r.strategi] = [acc[0] + r.pagu, acc[1] + r.realisasi_triwulan, acc[2] + r.realisasi_kumulatif]
    return dict(out)


@pytest.fixture(scope="module")
def quarters(prefect_api, tmp_path_factory):
    """Run the flow for TW I, TW II and TW III of the sample into one warehouse."""
    from flows.triwulan import rekap_triwulan

    root = tmp_path_factory.mktemp("e2e")
    warehouse, out = root / "gudang.duckdb", root / "laporan"
    summaries = {}
    for q in (1, 2, 3):
        summaries[q] = rekap_triwulan(
            source=str(SAMPLE_DIR), tahun=2024, triwulan=q, pemda="36.02",
            daftar_opd=str(SAMPLE_DIR / "daftar_opd.csv"), warehouse=str(warehouse), out=str(out),
        )  # fmt: skip
    return warehouse, out, summaries


@pytest.mark.parametrize("triwulan", [1, 2, 3])
def test_rekap_opd_matches_the_generator(quarters, triwulan):
    warehouse, _, _ = quarters
    con = connect(warehouse, read_only=True)
    got = con.execute(
        "SELECT kode_skpd, pagu, realisasi_triwulan, realisasi_kumulatif, status, persen_serapan "
        "FROM mart.rekap_opd WHERE kode_pemda = '36.02' AND tahun = 2024 AND triwulan = ?",
        [triwulan],
    ).fetchall()
    con.close()
    expected = expected_opd(triwulan)
    assert len(got) == 18
    for kode_skpd, pagu, rt, rk, status, persen in got:
        if kode_skpd in expected:
            assert (pagu, rt, rk) == expected[kode_skpd], kode_skpd
            assert status == "diterima"
            exact = (100 * rk / pagu).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
            assert persen == exact
        else:
            assert (pagu, rt, rk) == (None, None, None)
            assert status in ("ditolak", "belum menyampaikan")


@pytest.mark.parametrize("triwulan", [1, 2, 3])
def test_rekap_strategi_matches_the_generator(quarters, triwulan):
    warehouse, _, _ = quarters
    con = connect(warehouse, read_only=True)
    got = con.execute(
        "SELECT strategi, pagu, realisasi_triwulan, realisasi_kumulatif FROM mart.rekap_strategi "
        "WHERE kode_pemda = '36.02' AND tahun = 2024 AND triwulan = ?",
        [triwulan],
    ).fetchall()
    con.close()
    expected = expected_strategi(triwulan)
    assert {s: [p, rt, rk] for s, p, rt, rk in got if p} == expected


def test_quarter_events_of_the_sample(quarters):
    warehouse, _, summaries = quarters
    con = connect(warehouse, read_only=True)
    by_file = dict(con.execute("SELECT nama_berkas, status FROM core.submission").fetchall())
    tw3 = dict(con.execute("SELECT nama_skpd, status FROM mart.rekap_opd WHERE triwulan = 3").fetchall())
    con.close()
    expected_files = {Path(f.relpath).name: f.expected_status for f in SAMPLE.files}
    for name, status in expected_files.items():
        if status == "duplikat":
            assert name not in by_file  # the same bytes as another file: one submission
        else:
            assert by_file[name] == status, name
    assert sorted(tw3.values()).count("ditolak") == 1
    assert sorted(tw3.values()).count("belum menyampaikan") == 1
    for q, s in summaries.items():
        assert s.rows_read == s.rows_accepted + s.rows_rejected, q


def test_report_files_have_the_tables(quarters):
    _, out, _ = quarters
    workbook = out / "laporan-ke_36.02_2024_tw3.xlsx"
    page = out / "laporan-ke_36.02_2024_tw3.html"
    assert workbook.exists() and page.exists()
    names = openpyxl.load_workbook(workbook).sheetnames
    for key in ("T0", "T1", "T2", "T6"):
        assert any(n.startswith(key) for n in names), names
    html = page.read_text(encoding="utf-8")
    total = sum((v[0] for v in expected_opd(3).values()), Decimal(0))
    assert f"{int(total):,}".replace(",", ".") in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_a_folder_with_a_broken_file_still_produces_the_report(prefect_api, tmp_path):
    source = tmp_path / "kiriman"
    shutil.copytree(SAMPLE_DIR / "tw1", source)
    (source / "Laporan KE Dinsos TW1 rusak.xlsx").write_bytes(b"\x00" * 100)
    (source / "kiriman tanpa keterangan.xlsx").write_bytes(b"\x01" * 100)  # no quarter anywhere
    args = ["--source", str(source), "--tahun", "2024", "--triwulan", "1", "--pemda", "36.02"]
    code = rekap_main(
        ["run", *args, "--warehouse", str(tmp_path / "g.duckdb"), "--out", str(tmp_path / "lap")]
    )
    assert code == 0
    con = connect(tmp_path / "g.duckdb", read_only=True)
    (status, aturan) = con.execute(
        "SELECT s.status, i.aturan FROM core.submission s JOIN core.validation_issue i USING (file_hash) "
        "WHERE s.nama_berkas = 'Laporan KE Dinsos TW1 rusak.xlsx'"
    ).fetchone()
    unknown_quarter = con.execute(
        "SELECT triwulan, status FROM core.submission WHERE nama_berkas = 'kiriman tanpa keterangan.xlsx'"
    ).fetchall()
    con.close()
    assert (status, aturan) == ("ditolak", "F02")
    assert unknown_quarter == [(None, "ditolak")]
    html = (tmp_path / "lap" / "laporan-ke_36.02_2024_tw1.html").read_text(encoding="utf-8")
    assert "Laporan KE Dinsos TW1 rusak.xlsx" in html and "Berkas rusak" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "/tidak/ada", "--tahun", "2024", "--triwulan", "1"], "Folder sumber tidak ditemukan"),
        (["--source", ".", "--tahun", "2024", "--triwulan", "5"], "Triwulan 5 tidak sah"),
        (["--source", ".", "--tahun", "1999", "--triwulan", "1"], "di luar rentang"),
        (["--source", ".", "--tahun", "2024", "--triwulan", "1", "--warehouse", "/proc/gudang.duckdb"],
         "tidak dapat ditulis"),
    ],
)  # fmt: skip
def test_cli_refuses_to_run_with_a_one_line_reason(capsys, args, message):
    assert rekap_main(["run", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_chart_of_quarters_equals_each_quarters_own_total(quarters):
    warehouse, _, _ = quarters
    from rekap.report.build import build_report

    con = connect(warehouse, read_only=True)
    report = build_report(con, "36.02", 2024, 3)
    con.close()
    expected = {q: sum((v[1] for v in expected_opd(q).values()), Decimal(0)) for q in (1, 2, 3)}
    assert dict(report.charts["triwulan"]) == expected
