"""The generator's API (`sample`): each parameter of a Recipe does what it says, the benchmark's recipe
draws a plausible national quarter, `python -m sample` rewrites the committed sample, and rekap never
imports the generator."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from dataclasses import fields, replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from bench.generate import generate, recipe_for
from rekap.cli.main import main as rekap_main
from rekap.settings import REF_DIR, SAMPLE_DIR
from sample import (
    CATALOGUE,
    MESS,
    TEMPLATE_COLUMNS,
    TEMPLATE_LABELS,
    Layout,
    Pemda,
    Recipe,
    Sample,
    SampleFile,
    Shares,
    accepted_rows,
    build,
    every_pemda,
    mess_of,
    write_sample,
)

REPO = Path(__file__).resolve().parents[1]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def amounts(f: SampleFile) -> list[tuple[Decimal, Decimal, Decimal]]:
    return [(r.pagu, r.realisasi_triwulan, r.realisasi_kumulatif) for r in f.rows]


def by_identity(sample: Sample) -> dict[tuple[str, int, int | None, str], SampleFile]:
    return {(f.kode_skpd, f.triwulan, f.revisi, f.expected_status): f for f in sample.files}


# --- the boundary: the runtime reads the committed files, the repository regenerates them ----------------


def test_the_runtime_package_never_imports_the_generator() -> None:
    """Every module of rekap imported, from the repository root where `sample` and `bench` are importable."""
    code = (
        "import importlib, pkgutil, sys, rekap\n"
        "names = [m.name for m in pkgutil.walk_packages(rekap.__path__, 'rekap.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(len(names))\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('sample', 'bench')))\n"
        "import sample; print(sample.__file__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    count, imported, location = out.stdout.splitlines()
    assert int(count) > 30
    assert imported == "[]"
    assert Path(location) == REPO / "sample" / "__init__.py"  # so the check above could have failed


def test_python_m_sample_rewrites_the_committed_sample(tmp_path: Path) -> None:
    """As a developer runs it from the repository root: the files, the correction and the household counts."""
    out = tmp_path / "lebak-2024"
    subprocess.run([sys.executable, "-m", "sample", str(out)], cwd=REPO, capture_output=True, check=True)
    for folder in ("lebak-2024", "perbaikan", "sasaran"):
        assert tree(tmp_path / folder) == tree(SAMPLE_DIR.parent / folder), folder


# --- mess ---------------------------------------------------------------------------------------------


def test_every_layout_field_belongs_to_one_kind_of_mess() -> None:
    named = [name for names in MESS.values() for name in names]
    assert sorted(named) == sorted(f.name for f in fields(Layout) if f.name != "same_bytes_as")


def test_the_bundled_sample_carries_every_kind_of_mess() -> None:
    sample = build(Recipe())
    assert frozenset().union(*(mess_of(f.layout) for f in sample.files)) == set(MESS)


def test_without_mess_every_file_is_the_template_and_says_the_same(tmp_path: Path) -> None:
    """Mess changes how a file looks, not what it says."""
    messy, clean = build(Recipe()), build(Recipe(mess=frozenset()))
    assert all(replace(f.layout, same_bytes_as="") == Layout() for f in clean.files)
    assert by_identity(clean).keys() == by_identity(messy).keys()
    for key, f in by_identity(clean).items():
        assert amounts(f) == amounts(by_identity(messy)[key]), key
    write_sample(clean, tmp_path)
    assert [p.name for p in tmp_path.rglob("*.csv")] == ["daftar_opd.csv"]
    for path in tmp_path.rglob("*.xlsx"):
        header = next(openpyxl.load_workbook(path, read_only=True)["Realisasi"].iter_rows(values_only=True))
        assert list(header) == [TEMPLATE_LABELS[c] for c in TEMPLATE_COLUMNS], path.name


def test_one_kind_of_mess_kept_alone() -> None:
    sample = build(Recipe(mess=frozenset({"csv"})))
    assert {mess_of(f.layout) for f in sample.files} == {frozenset(), frozenset({"csv"})}
    assert {f.kode_skpd for f in sample.files if f.layout.fmt == "csv"} == {
        "2.12.0.00.0.00.01.0000", "2.16.2.20.2.21.01.0000", "3.25.0.00.0.00.01.0000",
    }  # fmt: skip


def test_clean_files_without_events_all_pass_periksa(tmp_path: Path, capsys) -> None:
    """The template, every OPD, every quarter: what the tolerant reader and the rules accept as they are."""
    sample = build(Recipe(mess=frozenset(), events=frozenset()))
    write_sample(sample, tmp_path)
    folders = [str(tmp_path / f"tw{q}") for q in (1, 2, 3)]
    daftar = str(tmp_path / "daftar_opd.csv")
    assert rekap_main(["periksa", *folders, "--pemda", "36.02", "--daftar-opd", daftar]) == 0
    assert "Diperiksa 54 berkas: 54 DITERIMA, 0 DITOLAK." in capsys.readouterr().out


# --- events, OPDs, quarters ---------------------------------------------------------------------------


def test_without_events_every_opd_sends_one_accepted_file_a_quarter() -> None:
    sample = build(Recipe(events=frozenset()))
    assert sorted((f.kode_skpd, f.triwulan) for f in sample.files) == sorted(
        (opd.kode, q) for opd in CATALOGUE for q in (1, 2, 3)
    )
    assert {f.expected_status for f in sample.files} == {"diterima"}
    assert all(f.relpath.startswith(f"tw{f.triwulan}/") for f in sample.files)
    assert sample.correction is None and sample.households == ()


def test_an_event_left_out_leaves_every_other_file_as_it_was() -> None:
    events = (Recipe().events, frozenset(), frozenset({"rejected"}))
    full, none, rejected_only = (build(Recipe(events=e)) for e in events)
    (rejected,) = [f for f in rejected_only.files if f.expected_status == "ditolak"]
    assert rejected == next(f for f in full.files if f.expected_status == "ditolak")
    for f in rejected_only.files:
        if f is not rejected:
            assert f == next(g for g in none.files if g.relpath == f.relpath)


def test_opds_and_quarters_choose_the_files() -> None:
    sample = build(Recipe(opd=CATALOGUE[:4], quarters=(1, 2)))
    assert {f.kode_skpd for f in sample.files} == {opd.kode for opd in CATALOGUE[:4]}
    assert {f.triwulan for f in sample.files} == {1, 2}
    assert "digantikan" in {f.expected_status for f in sample.files}  # Dinkes still revises TW II
    assert [o.kode for o in sample.opd] == [o.kode for o in CATALOGUE[:4]]


def test_a_whole_year_grows_to_tw_iv() -> None:
    sample = build(Recipe(quarters=(1, 2, 3, 4), events=frozenset()))
    tw4 = [f for f in sample.files if f.triwulan == 4]
    assert len(tw4) == 18 and all(f.tanggal_laporan and f.tanggal_laporan.year == 2025 for f in tw4)
    for kode, rows in accepted_rows(sample, 4).items():
        before = {(r.kode_sub_kegiatan, r.sumber_dana): r for r in accepted_rows(sample, 3)[kode]}
        for r in rows:
            earlier = before[(r.kode_sub_kegiatan, r.sumber_dana)]
            assert r.realisasi_kumulatif == earlier.realisasi_kumulatif + r.realisasi_triwulan
            assert r.realisasi_kumulatif <= r.pagu == earlier.pagu  # the APBD-P pagu holds in TW IV


@pytest.mark.parametrize(
    "change",
    [
        {"mess": frozenset({"glitter"})},
        {"events": frozenset({"flood"})},
        {"quarters": (3, 1)},
        {"lokasi": "x"},
    ],
)
def test_a_recipe_refuses_what_it_does_not_know(change: dict) -> None:
    with pytest.raises(ValueError):
        Recipe(**change)


# --- the benchmark's recipe ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference_codes() -> set[str]:
    with open(REF_DIR / "wilayah.csv", encoding="utf-8", newline="") as fh:
        return {r["kode"] for r in csv.DictReader(fh)}


@pytest.mark.parametrize("kode", ["11", "36.02", "32.73"])
def test_the_benchmark_draws_a_plausible_quarter(kode: str, reference_codes: set[str]) -> None:
    """A province and two kab/kota: their own folders, 15-35 rows, lokasi that exist inside the pemda."""
    pemda = next(p for p in every_pemda() if p.kode == kode)
    sample = build(recipe_for(pemda))
    assert sample == build(recipe_for(pemda))
    assert {f.triwulan for f in sample.files} == {1, 2}
    assert {f.kode_skpd for f in sample.files if f.triwulan == 1} == {opd.kode for opd in CATALOGUE}
    for f in sample.files:
        assert f.relpath.startswith(f"tw{f.triwulan}/{kode}/") and 15 <= len(f.rows) <= 35
        for r in f.rows:
            codes = [] if r.lokasi == "SEMUA" else r.lokasi.split(";")
            assert all(c in reference_codes and c.startswith(kode + ".") for c in codes), r.lokasi


def test_a_drawn_event_left_out_leaves_every_other_file_as_it_was() -> None:
    recipe = replace(recipe_for(Pemda("36.02", "Kabupaten Lebak")), cast=Shares(rejected=0.3))
    drawn, spared = build(recipe), build(replace(recipe, events=recipe.events - {"rejected"}))
    rejected = {f.relpath for f in drawn.files if f.expected_status == "ditolak"}
    assert rejected and [f.relpath for f in drawn.files] == [f.relpath for f in spared.files]
    for f, g in zip(drawn.files, spared.files, strict=True):
        assert (f == g) == (f.relpath not in rejected)


def test_generate_writes_the_same_bytes_in_one_process_or_two(tmp_path: Path) -> None:
    one, two = generate(0.01, tmp_path / "a", workers=1), generate(0.01, tmp_path / "b", workers=2)
    files = tree(one)
    manifest = json.loads(files.pop("manifest.json"))
    assert files == {k: v for k, v in tree(two).items() if k != "manifest.json"}
    assert manifest["pemda"] == 6 and manifest["files"] == len(files) - 1  # and daftar_opd.csv
