"""The Kemendagri region reference (ref/wilayah.csv): loaded into the warehouse with its decree, replaced by a
newer file without code changes, used for names, and the warnings it allows (W10 unknown lokasi code, W11
Nama Pemda that disagrees); a province's own OPDs may place programs by kab/kota (R12)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from rekap.cli.main import main
from rekap.cli.periksa import check_files
from rekap.intake.folder import pull_local
from rekap.load.load import load_and_roll_up, new_run_id
from rekap.report.build import build_report
from rekap.settings import REF_DIR
from rekap.validation.batch import parse_all, validate_run
from rekap.warehouse.store import connect, create_schema
from rekap.warehouse.wilayah import load_wilayah
from tests.builders import DINSOS, identity, row, write_xlsx

COUNTS = {"provinsi": 38, "kabupaten/kota": 514, "kecamatan": 7285, "desa/kelurahan": 83762}


@pytest.fixture
def con(tmp_path: Path):
    con = connect(tmp_path / "gudang.duckdb")
    create_schema(con)
    yield con
    con.close()


def names(con, *codes: str) -> dict[str, str]:
    rows = con.execute(
        "SELECT kode, nama_lengkap FROM ref.wilayah WHERE kode IN (SELECT unnest($k))", {"k": codes}
    )
    return dict(rows.fetchall())


def test_the_shipped_reference_loads_with_its_decree(con) -> None:
    assert load_wilayah(con) is True
    counts = dict(con.execute("SELECT tingkat, count(*) FROM ref.wilayah GROUP BY tingkat").fetchall())
    assert counts == COUNTS
    (source,) = con.execute(
        "SELECT berkas, keputusan, tanggal_keputusan, jumlah_wilayah FROM ref.wilayah_sumber"
    ).fetchall()
    assert source[0] == "wilayah.csv" and source[1].startswith("Kepmendagri No 300.2.2-2138 Tahun 2025")
    assert source[2] == dt.date(2025, 4, 25) and source[3] == sum(COUNTS.values())
    assert names(con, "36", "36.02", "36.02.01", "36.02.03.2001", "36.71.01.1001") == {
        "36": "Provinsi Banten",
        "36.02": "Kabupaten Lebak",
        "36.02.01": "Kecamatan Malingping",
        "36.02.03.2001": "Desa Bayah Barat",
        "36.71.01.1001": "Kelurahan "
        + con.execute("SELECT nama FROM ref.wilayah WHERE kode = '36.71.01.1001'").fetchone()[0],
    }
    # Unchanged file, nothing to do.
    assert load_wilayah(con) is False
    # The MIT notice ships beside the data.
    assert "Cahya DSN" in (REF_DIR / "LICENSE-wilayah.txt").read_text(encoding="utf-8")


def newer_reference(folder: Path) -> Path:
    """A later decree: a kecamatan renamed and a desa added, in a file of its own with its metadata."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "wilayah-2027.csv"
    with open(REF_DIR / "wilayah.csv", encoding="utf-8", newline="") as src:
        rows = list(csv.reader(src))
    rows = [[k, "Malingping Raya" if k == "36.02.01" else n, t] for k, n, t in rows]
    rows.insert(5, ["36.02.01.2999", "Sukamaju Baru", "desa/kelurahan"])
    with open(path, "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    meta = {"keputusan": "Kepmendagri No 100.1.1-1 Tahun 2027", "tanggal_keputusan": "2027-01-15"}
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    return path


def test_a_newer_file_replaces_the_reference_without_code_changes(con, tmp_path, monkeypatch) -> None:
    assert load_wilayah(con)
    monkeypatch.setenv("REKAP_WILAYAH", str(newer_reference(tmp_path / "ref-baru")))
    assert load_wilayah(con) is True
    assert names(con, "36.02.01", "36.02.01.2999") == {
        "36.02.01": "Kecamatan Malingping Raya",
        "36.02.01.2999": "Desa Sukamaju Baru",
    }
    (source,) = con.execute("SELECT berkas, keputusan, tanggal_keputusan FROM ref.wilayah_sumber").fetchall()
    assert source == ("wilayah-2027.csv", "Kepmendagri No 100.1.1-1 Tahun 2027", dt.date(2027, 1, 15))


@pytest.mark.parametrize(
    "lines",
    [
        [
            "kode,nama,tingkat",
            "36,Banten,provinsi",
            "36.02,Kabupaten Lebak,kabupaten/kota",
            "36.02,Lagi,kabupaten/kota",
        ],
        ["kode,nama,tingkat", "36,Banten,provinsi", "36.02.1,Kecamatan Salah,kecamatan"],
        ["kode,nama,tingkat", "36,Banten,negara"],
        ["kode,nama,tingkat", "36.02,Kabupaten Lebak,kabupaten/kota"],
        ["bukan,csv,wilayah,sama,sekali", '"'],
    ],
    ids=["duplicate", "code-form", "level", "no-province", "not-csv"],
)
def test_a_broken_reference_keeps_the_one_loaded(con, tmp_path, monkeypatch, lines, caplog) -> None:
    assert load_wilayah(con)
    broken = tmp_path / "rusak.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("REKAP_WILAYAH", str(broken))
    assert load_wilayah(con) is False
    assert "tidak dimuat" in caplog.text
    assert con.execute("SELECT count(*) FROM ref.wilayah").fetchone() == (sum(COUNTS.values()),)
    assert con.execute("SELECT berkas FROM ref.wilayah_sumber").fetchall() == [("wilayah.csv",)]
    assert con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'wilayah_baru'"
    ).fetchone() == (0,)


@pytest.mark.parametrize(
    ("kode", "nama", "agrees"),
    [
        ("36.02", "Kabupaten Lebak", True),
        ("36.02", "KABUPATEN  LEBAK", True),
        ("36.02", "Pemerintah Kab. Lebak", True),
        ("36.02", "Pemkab Lebak", True),
        ("36.02", "Kota Lebak", False),
        ("36.02", "Kabupaten Pandeglang", False),
        ("36", "Provinsi Banten", True),
        ("36", "Banten", True),
        ("36", "Pemprov. Banten", True),
        ("31", "Provinsi DKI Jakarta", True),
        ("34", "DIY", True),
        ("36.73", "Kota Serang", True),
        ("36.73", "Kabupaten Serang", False),
    ],
)
def test_a_pemda_name_is_compared_by_what_identifies_it(con, kode: str, nama: str, agrees: bool) -> None:
    load_wilayah(con)
    (same,) = con.execute(
        "SELECT ref.kunci_nama($nama) IN (ref.kunci_nama(nama), ref.kunci_nama(nama_lengkap)) "
        "FROM ref.wilayah WHERE kode = $kode",
        {"nama": nama, "kode": kode},
    ).fetchone()
    assert same is agrees


def findings_of(verdict) -> set[tuple]:
    return {(f.aturan, f.sheet, f.baris, f.kolom, f.nilai) for f in verdict.findings.itertuples()}


def test_periksa_warns_at_the_cell_and_lets_a_province_place_by_kab_kota(tmp_path: Path) -> None:
    lebak = write_xlsx(
        tmp_path / "lebak.xlsx",
        identity(3, **{"Nama Pemda": "Kota Lebak"}),
        [
            row(lokasi="36.02.01;36.02.03.2001"),
            row(kode="1.06.04.2.01.0002", lokasi="36.02.03.2999;36.02.05"),
        ],
    )
    lebak_whole = write_xlsx(
        tmp_path / "lebak-kab.xlsx",
        identity(3, **{"Nama Pemda": "Pemerintah Kabupaten Lebak"}),
        [row(lokasi="36.02")],
    )
    province = write_xlsx(
        tmp_path / "banten.xlsx",
        identity(3, **{"Kode Pemda": "36", "Nama Pemda": "Pemerintah Provinsi Banten"}),
        [row(lokasi="36.02;36.03.01"), row(kode="1.06.04.2.01.0002", lokasi="36.99")],
    )
    by_name = {v.path.name: v for v in check_files([lebak, lebak_whole, province])}
    assert findings_of(by_name["lebak.xlsx"]) == {
        ("W11", "Identitas", 2, "B", "Kota Lebak"),
        ("W10", "Realisasi", 3, "I", "36.02.03.2999"),
    }
    assert by_name["lebak.xlsx"].diterima
    (w11,) = [m for m in by_name["lebak.xlsx"].findings.itertuples() if m.aturan == "W11"]
    assert w11.pesan.endswith("menurut daftar: Kabupaten Lebak")
    # A kab/kota code is only for a province's own OPDs.
    assert findings_of(by_name["lebak-kab.xlsx"]) == {("R12", "Realisasi", 2, "I", "36.02")}
    assert findings_of(by_name["banten.xlsx"]) == {("W10", "Realisasi", 3, "I", "36.99")}


def test_without_a_reference_names_fall_back_to_codes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("REKAP_WILAYAH", str(tmp_path / "tidak-ada.csv"))
    src, warehouse = tmp_path / "berkas", tmp_path / "gudang.duckdb"
    write_xlsx(src / "a_TW1.xlsx", identity(1, **{"Nama Pemda": "Lebak"}), [row(lokasi="36.02.01.2999")])
    incoming = pull_local(src, tmp_path / "mentah", set())
    checked = validate_run(parse_all(incoming), incoming, 2024, 1, "36.02")
    summary = load_and_roll_up(checked, warehouse, None, new_run_id())
    assert summary.accepted == 1
    con = connect(warehouse, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM core.validation_issue").fetchone() == (0,)
        report = build_report(con, "36.02", 2024, 1)
    finally:
        con.close()
    assert report.nama_pemda == "Lebak"
    t5 = report.table("t5")
    assert [r[1] for r in t5.rows[:2]] == ["Kecamatan 36.02.01", "Desa/kelurahan 36.02.01.2999"]
    shutil.rmtree(src)


def test_the_template_is_filled_with_the_references_name(tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    args = ["template", "--pemda", "36.02", "--tahun", "2024", "--triwulan", "3", "--skpd", DINSOS]
    assert main([*args, "--out", str(out)]) == 0
    sheet = openpyxl.load_workbook(out)["Identitas"]
    assert {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}["Nama Pemda"] == "Kabupaten Lebak"
