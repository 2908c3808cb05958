"""Every rule a file can break, one defective file each (tests/corpus.py): the real reader and the real
validation report the rule at the exact sheet, Excel row and column, and nothing else.

The files are read one by one (each read timed) and validated together in one `validate_files` call,
as a run does: GX runs once over all rows, not once per file. The rules that need the warehouse (SQL
in sql/checks) go through the real `validate_run` + `load_and_roll_up` into a DuckDB file.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pandas as pd
import pytest

from rekap.contract.rules import RULES
from rekap.files import sha256_of
from rekap.intake.folder import pull_local
from rekap.load.load import load_and_roll_up, new_run_id
from rekap.load.sasaran import SASARAN_RULES
from rekap.reading.parsed import ParsedFile
from rekap.reading.reader import read_submission
from rekap.runtime import check_files
from rekap.settings import Limits
from rekap.validation.gx import gx_validation, run_suite, suite_columns
from rekap.validation.validate import validate_files
from rekap.warehouse.store import connect
from tests.corpus import CASES, PEMDA, READER_DIES, TAHUN, TRIWULAN, Case

READ_CASES = [c for c in CASES if c.level != "gudang"]
WAREHOUSE_CASES = [c for c in CASES if c.level == "gudang"]
READ_SECONDS = 5.0


def _none(value: object) -> object:
    return None if pd.isna(value) else value


def _located(findings: pd.DataFrame) -> tuple[set[str], set[tuple]]:
    """(rule ids, (sheet, row, column) of every finding) of one file's findings."""
    rules = set(findings["aturan"])
    where = {(_none(r.sheet), None if pd.isna(r.baris) else int(r.baris), _none(r.kolom))
             for r in findings.itertuples()}  # fmt: skip
    return rules, where


@pytest.fixture(scope="module")
def corpus(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, ParsedFile], dict[str, float], pd.DataFrame]:
    folder = tmp_path_factory.mktemp("korpus")
    parsed, seconds = {}, {}
    for case in READ_CASES:
        path = case.build(folder / case.id)
        start = time.perf_counter()
        parsed[case.id] = read_submission(path, limits=case.limits or Limits())
        seconds[case.id] = time.perf_counter() - start
    hashes = [f.file_hash for f in parsed.values()]
    assert len(set(hashes)) == len(hashes), "every corpus file must have its own content"
    _, _, findings = validate_files(list(parsed.values()), PEMDA)
    return parsed, seconds, findings


def test_corpus_covers_every_rule() -> None:
    # The rules of a household-count file have their own cases (tests/test_sasaran.py).
    assert {c.rule for c in CASES} - {None} == set(RULES) - set(SASARAN_RULES)
    assert len([c for c in CASES if c.rule]) >= 30


@pytest.mark.parametrize("case", READ_CASES, ids=lambda c: c.id)
def test_rule_is_reported_at_its_cell(case: Case, corpus) -> None:
    parsed, seconds, findings = corpus
    f = parsed[case.id]
    assert seconds[case.id] < READ_SECONDS
    mine = findings[findings["file_hash"] == f.file_hash]
    if case.rule is None:
        assert mine.empty, mine.to_dict("records")
        assert f.readable and len(f.rows) == 3
        return
    rules, where = _located(mine)
    assert rules == {case.rule}, mine.to_dict("records")
    assert where == set(case.where), mine.to_dict("records")
    assert set(mine["tingkat"]) == {RULES[case.rule].tingkat}
    assert all(p.startswith(RULES[case.rule].pesan) for p in mine["pesan"])
    if case.rule.startswith("F"):
        assert not f.readable and f.rows == []


def test_one_file_alone_gives_the_same_findings_as_in_the_batch(corpus) -> None:
    parsed, _, findings = corpus
    for case_id in ("R11-duplicate-key",):
        f = parsed[case_id]
        _, _, alone = validate_files([f], PEMDA)
        batch = findings[findings["file_hash"] == f.file_hash].reset_index(drop=True)
        pd.testing.assert_frame_equal(alone, batch)


def test_gx_does_not_fingerprint_the_frames_it_validates() -> None:
    # GX's MD5 of every batch (over the whole frame, once for the batch and once per validation) was a
    # fifth of validating a national batch, for markers nothing reads; `gx_validation` turns it off
    # through GX's size threshold. A GX upgrade that moves the threshold fails here, not silently.
    frame = pd.DataFrame({"row_id": [0, 1], "kode_sub_kegiatan": ["1.02.02.2.01.0001", "x"]})
    batch = gx_validation("realisasi").data.get_batch(batch_parameters={"dataframe": frame})
    assert batch.batch_markers.get("pandas_data_fingerprint") is None
    assert "ge_load_time" in batch.batch_markers  # the markers are there, without the fingerprint


def test_an_expectation_that_cannot_run_stops_the_validation() -> None:
    # Text where the suite compares numbers: GX's metric fails, and it reports that one level down in
    # `exception_info`. Skipping it would lose the rule's findings for every file without a word.
    frame = pd.DataFrame({name: ["x"] for name in suite_columns("realisasi")} | {"row_id": [0]})
    with pytest.raises(RuntimeError, match="expect_column_values_to_be_between failed to run"):
        run_suite("realisasi", frame)


# --- rules that need the warehouse --------------------------------------------------------------


def _skpd(n: int) -> str:
    return f"1.06.0.00.0.00.{n:02d}.0000"


@pytest.fixture(scope="module")
def warehouse_run(tmp_path_factory: pytest.TempPathFactory):
    """One run of TW III with every warehouse case as its own OPD (X01/X02 with their TW II file), the
    valid base as another, and a daftar OPD that lists all but the I11 case; the files are read as a run
    reads them, in worker processes, one of which is killed on the F14 case's file."""
    root = tmp_path_factory.mktemp("gudang")
    src = root / "berkas"
    paths: dict[str, Path] = {}
    listed = []
    for n, case in enumerate([*WAREHOUSE_CASES, READ_CASES[0]], start=10):
        nama = f"OPD Uji {n}"
        paths[case.id] = case.build(src / case.id, kode_skpd=_skpd(n), nama_skpd=nama)
        if case.rule != "I11":
            listed.append([PEMDA, TAHUN, _skpd(n), nama])
    daftar = root / "daftar_opd.csv"
    with daftar.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["kode_pemda", "tahun", "kode_skpd", "nama_skpd"], *listed])
    warehouse = root / "gudang.duckdb"
    incoming = pull_local(src, root / "mentah", set())
    with pytest.MonkeyPatch.context() as env:
        env.setenv("REKAP_UJI_MATI_DI", READER_DIES)
        checked = check_files(incoming, TAHUN, TRIWULAN, PEMDA)
    summary = load_and_roll_up(checked, warehouse, daftar, new_run_id())
    con = connect(warehouse, read_only=True)
    issues = con.execute(
        "SELECT file_hash, sheet, baris, kolom, aturan, tingkat, pesan FROM core.validation_issue"
    ).df()
    status = dict(con.execute("SELECT file_hash, status FROM core.submission").fetchall())
    con.close()
    return paths, issues, status, summary


@pytest.mark.parametrize("case", WAREHOUSE_CASES, ids=lambda c: c.id)
def test_warehouse_rule_is_reported_at_its_cell(case: Case, warehouse_run) -> None:
    paths, issues, status, _ = warehouse_run
    file_hash = sha256_of(paths[case.id])
    mine = issues[issues["file_hash"] == file_hash]
    rules, where = _located(mine)
    assert rules == {case.rule}, mine.to_dict("records")
    assert where == set(case.where), mine.to_dict("records")
    expected = "ditolak" if RULES[case.rule].tingkat == "error" else "diterima"
    assert status[file_hash] == expected


def test_warehouse_run_accepts_the_valid_base_and_the_previous_quarters(warehouse_run) -> None:
    paths, issues, status, summary = warehouse_run
    base = sha256_of(paths[READ_CASES[0].id])
    assert issues[issues["file_hash"] == base].empty and status[base] == "diterima"
    # base, I11, W10, W11 (warnings) and the two TW II files are accepted; R12 (twice), X01, X02, F14 rejected
    assert (summary.accepted, summary.rejected) == (6, 5)
    assert summary.rows_read == summary.rows_accepted + summary.rows_rejected == 10 * 3
