"""A run writes again only the reports and letters whose inputs changed: on six generated pemda (TW II), a
rerun with nothing new writes nothing; a rerun after it that finds nothing new either leaves letters alone
once their "new" marks are gone; one OPD's resubmission writes its pemda's report and letters (and its
province's report, which shows it) and nothing else; a report file deleted or edited by hand is written
again, byte for byte what it was; a change to the code that draws reports changes every fingerprint."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.generate import generate, resubmission
from rekap.intake.folder import pull_local
from rekap.load.load import load_and_roll_up, new_run_id
from rekap.report import sidik
from rekap.runtime.reports import write_reports
from rekap.settings import REPO, SQL_DIR
from rekap.validation.batch import parse_all, validate_run
from rekap.warehouse.store import seen_hashes

TAHUN, TRIWULAN = 2024, 2


def _load(source: Path, warehouse: Path, daftar: Path) -> tuple[str, list[str]]:
    """One run of TW II over every new file under `source`, for every pemda: its run id and pemda."""
    incoming = pull_local(source, warehouse.parent / "mentah", seen_hashes(warehouse))
    checked = validate_run(parse_all(incoming), incoming, TAHUN, TRIWULAN, None)
    run_id = new_run_id()
    return run_id, load_and_roll_up(checked, warehouse, daftar, run_id).pemda


def _files(out: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under the report folder (the record aside): its modification time and content."""
    return {
        p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in out.rglob("*")
        if p.is_file() and not p.name.startswith(".sidik")
    }


def _written(warehouse: Path, pemda: list[str], out: Path, run_id: str) -> dict[str, tuple[bool, bool]]:
    """Write the reports; per pemda, whether its report and whether its letters were written."""
    return {
        w.kode_pemda: (w.report is not None, w.letters_written)
        for w in write_reports(warehouse, pemda, TAHUN, TRIWULAN, out, run_id)
    }


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("ulang")
    data = generate(scale=0.01, out=root / "data", workers=1)  # six pemda, TW I and TW II
    source = root / "berkas"
    shutil.copytree(data, source)
    return source, root / "gudang" / "gudang-ke.duckdb", source / "daftar_opd.csv"


def test_reports_are_written_again_only_where_their_inputs_changed(quarter, tmp_path: Path) -> None:
    source, warehouse, daftar = quarter
    run_id, pemda = _load(source, warehouse, daftar)
    out = tmp_path / "laporan"
    assert len(pemda) == 6

    assert _written(warehouse, pemda, out, run_id) == dict.fromkeys(pemda, (True, True))
    first = _files(out)

    # Nothing new, the same run: nothing is written.
    assert _written(warehouse, pemda, out, run_id) == dict.fromkeys(pemda, (False, False))
    assert _files(out) == first

    # Another run that received nothing: the reports stay; only letters that marked a file new change.
    again, _ = _load(source, warehouse, daftar)
    marked = {k for k in pemda if "(baru)" in _steward_list(out, k)}
    assert marked, "the generated quarter has rejected files, new in the first run"
    assert _written(warehouse, pemda, out, again) == {k: (False, k in marked) for k in pemda}
    assert not any("(baru)" in _steward_list(out, k) for k in pemda)
    assert _written(warehouse, pemda, out, again) == dict.fromkeys(pemda, (False, False))
    settled = _files(out)

    # One OPD resubmits: its pemda, and its province when the run has it, are written again.
    kode = next(k for k in pemda if "." in k)
    resubmission(source, kode)
    rerun, _ = _load(source, warehouse, daftar)
    province = kode.split(".")[0]
    expected = {k: (k in (kode, province), k == kode) for k in pemda}
    assert _written(warehouse, pemda, out, rerun) == expected
    changed = {name for name, seen in _files(out).items() if settled.get(name) != seen}
    assert changed and all(f"_{kode}_" in name or f"_{province}_" in name for name in changed)

    # A report file deleted, or edited by hand, is written again as it was.
    pdf = next(out.glob(f"laporan-ke_{pemda[0]}_*.pdf"))
    xlsx = pdf.with_name(pdf.name.replace(".pdf", ".xlsx"))
    pdf_bytes, xlsx_bytes = pdf.read_bytes(), xlsx.read_bytes()
    pdf.unlink()
    xlsx.write_bytes(b"diubah")
    assert _written(warehouse, pemda, out, rerun)[pemda[0]] == (True, False)
    assert pdf.read_bytes() == pdf_bytes and xlsx.read_bytes() == xlsx_bytes


def _steward_list(out: Path, kode: str) -> str:
    return (out / "surat" / f"ringkasan-tindak-lanjut_{kode}_{TAHUN}_tw{TRIWULAN}.html").read_text("utf-8")


def test_the_fingerprint_changes_with_the_code_that_draws_the_report(tmp_path: Path, monkeypatch) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    monkeypatch.setattr(sidik, "RENDERER_SOURCES", (templates,))
    sidik.renderer_digest.cache_clear()
    before = sidik.renderer_digest()
    (templates / "laporan.html.j2").write_text("<p>lain</p>\n", encoding="utf-8")
    sidik.renderer_digest.cache_clear()
    assert sidik.renderer_digest() != before
    sidik.renderer_digest.cache_clear()


def test_the_fingerprint_reads_every_table_the_reports_and_letters_read() -> None:
    import re

    read = set()
    for folder in ("report", "letters"):
        for path in (SQL_DIR / folder).glob("*.sql"):
            if path.name != "sidik.sql":
                read |= set(re.findall(r"\b((?:mart|core|ref)\.[a-z_]+)\b(?!\()", path.read_text("utf-8")))
    read -= {"core.persen", "core.wilayah"}  # macros
    fingerprinted = set(
        re.findall(r"\b((?:mart|core|ref)\.[a-z_]+)\b", (SQL_DIR / "report/sidik.sql").read_text())
    )
    assert read and read - fingerprinted <= {"ref.wilayah"}  # the reference is fingerprinted by its source
    assert "ref.wilayah_sumber" in fingerprinted
