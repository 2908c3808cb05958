"""Loading quarters into a real DuckDB file: derivation of the missing realisasi column, revisions,
repeats, late files, rejections, and the row accounting."""

from __future__ import annotations

import fcntl
import shutil
import time
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from rekap.intake.folder import pull_local
from rekap.load.load import load_and_roll_up, new_run_id
from rekap.runtime.ahead import copy_ahead
from rekap.runtime.checking import check_files
from rekap.settings import SQL_DIR
from rekap.warehouse.daftar import load_daftar_opd
from rekap.warehouse.store import connect, seen_hashes
from rekap.warehouse.writer import working_prefix, writing
from tests.builders import DINSOS, HEADER, identity, row, run_quarter, write_xlsx

ONLY_TW = [h for h in HEADER if h != "Realisasi s.d. Triwulan Ini (Rp)"]
ONLY_KUM = [h for h in HEADER if h != "Realisasi Triwulan Ini (Rp)"]


def query(warehouse: Path, sql: str, *params):
    con = connect(warehouse, read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture
def paths(tmp_path):
    return tmp_path / "src", tmp_path / "out" / "gudang.duckdb"


def test_missing_column_is_derived_from_previous_quarter(paths):
    src, wh = paths
    # TW I reports only the cumulative, TW II only the quarter, TW III both.
    write_xlsx(src / "tw1" / "a_TW1.xlsx", identity(1), [[*row()[:5], 100, "36.02.01"]],
               header=ONLY_KUM)  # fmt: skip
    write_xlsx(src / "tw2" / "a_TW2.xlsx", identity(2), [[*row()[:5], 250, "36.02.01"]], header=ONLY_TW)
    write_xlsx(src / "tw3" / "a_TW3.xlsx", identity(3), [row(tw=50, kum=400)])
    summary = run_quarter(src, wh, 2024, 3)
    assert (summary.accepted, summary.rejected) == (3, 0)
    got = query(wh, "SELECT triwulan, realisasi_triwulan, realisasi_kumulatif, tw1, tw2, tw3 "
                    "FROM mart.realisasi_rinci ORDER BY triwulan")  # fmt: skip
    d = Decimal
    assert got == [
        (1, d("100.00"), d("100.00"), d("100.00"), None, None),
        (2, d("250.00"), d("350.00"), d("100.00"), d("250.00"), None),
        (3, d("50.00"), d("400.00"), d("100.00"), d("250.00"), d("50.00")),
    ]


def test_cumulative_that_disagrees_with_previous_quarter_is_rejected_with_both_numbers(paths):
    src, wh = paths
    write_xlsx(src / "a_TW1.xlsx", identity(1), [row(tw=100, kum=100)])
    write_xlsx(src / "a_TW2.xlsx", identity(2), [row(tw=50, kum=120)])
    run_quarter(src, wh, 2024, 2)
    (issue,) = query(wh, "SELECT aturan, sheet, baris, kolom, pesan FROM core.validation_issue "
                         "WHERE tingkat = 'error'")  # fmt: skip
    assert issue[:4] == ("X02", "Realisasi", 2, "H")
    assert "Rp120" in issue[4] and "Rp100" in issue[4] and "Rp150" in issue[4]


def test_revisions_supersede_and_a_rejected_revision_never_erases_an_accepted_one(paths):
    src, wh = paths
    write_xlsx(src / "a_TW1_rev0.xlsx", identity(1, revisi=0), [row(pagu=1000, tw=100, kum=100)])
    write_xlsx(src / "a_TW1_rev1.xlsx", identity(1, revisi=1), [row(pagu=1000, tw=200, kum=200)])
    run_quarter(src, wh, 2024, 1)
    write_xlsx(src / "a_TW1_rev2.xlsx", identity(1, revisi=2), [row(pagu=1000, tw=2000, kum=2000)])
    run_quarter(src, wh, 2024, 1)
    statuses = query(wh, "SELECT nama_berkas, revisi, status FROM core.submission ORDER BY revisi")
    assert statuses == [("a_TW1_rev0.xlsx", 0, "digantikan"), ("a_TW1_rev1.xlsx", 1, "diterima"),
                        ("a_TW1_rev2.xlsx", 2, "ditolak")]  # fmt: skip
    opd = query(wh, "SELECT realisasi_kumulatif, status, revisi, ada_revisi_ditolak FROM mart.rekap_opd")
    assert opd == [(Decimal("200.00"), "diterima", 1, True)]


def test_same_bytes_twice_are_one_submission_and_reruns_change_nothing(paths):
    src, wh = paths
    first = write_xlsx(src / "a_TW1.xlsx", identity(1), [row()])
    shutil.copyfile(first, src / "salinan" / "kiriman ulang TW1.xlsx") if (
        src / "salinan"
    ).mkdir() is None else None
    summary = run_quarter(src, wh, 2024, 1)
    assert summary.files_new == 1
    marts_before = query(wh, "SELECT * FROM mart.rekap_opd")
    again = run_quarter(src, wh, 2024, 1)
    assert again.files_new == 0
    assert query(wh, "SELECT count(*) FROM core.submission") == [(1,)]
    assert query(wh, "SELECT * FROM mart.rekap_opd") == marts_before


def test_late_file_for_an_earlier_quarter_recomputes_it(paths):
    src, wh = paths
    write_xlsx(src / "tw1" / "a_TW1.xlsx", identity(1), [row(tw=100, kum=100)])
    write_xlsx(src / "tw2" / "a_TW2.xlsx", identity(2), [[*row()[:5], 300, "36.02.01"]], header=ONLY_TW)
    run_quarter(src, wh, 2024, 2)
    assert query(wh, "SELECT realisasi_kumulatif FROM mart.realisasi_rinci WHERE triwulan = 2") == [
        (Decimal("400.00"),)]  # fmt: skip
    # A corrected TW I arrives in the TW II batch folder: TW I and the derived TW II cumulative move.
    write_xlsx(src / "tw2" / "a_TW1_revisi.xlsx", identity(1, revisi=1), [row(tw=150, kum=150)])
    run_quarter(src, wh, 2024, 2)
    got = query(wh, "SELECT triwulan, realisasi_kumulatif FROM mart.realisasi_rinci ORDER BY triwulan")
    assert got == [(1, Decimal("150.00")), (2, Decimal("450.00"))]


def test_files_of_later_quarters_wait_for_their_run(paths):
    src, wh = paths
    write_xlsx(src / "a_TW1.xlsx", identity(1), [row()])
    write_xlsx(src / "a_TW2.xlsx", identity(2), [row(tw=0, kum=100_000)])
    assert run_quarter(src, wh, 2024, 1).files_deferred == 1
    assert query(wh, "SELECT triwulan FROM core.submission") == [(1,)]
    assert run_quarter(src, wh, 2024, 2).files_new == 1


def test_broken_file_is_recorded_as_rejected_and_the_rest_loads(paths):
    src, wh = paths
    write_xlsx(src / "a_TW1.xlsx", identity(1), [row(), row(kode="1.06.04.2.01.0002")])
    write_xlsx(src / "b_TW1.xlsx", identity(1, skpd="1.02.0.00.0.00.01.0000"), [row(kum=2_000_000)])
    (src / "rusak.xlsx").write_bytes(b"not a workbook at all")
    summary = run_quarter(src, wh, 2024, 1)
    assert (summary.accepted, summary.rejected) == (1, 2)
    assert (summary.rows_read, summary.rows_accepted, summary.rows_rejected) == (3, 2, 1)
    sql = (
        "SELECT s.nama_berkas, string_agg(DISTINCT i.aturan, ',') FROM core.submission s "
        "JOIN core.validation_issue i USING (file_hash) WHERE i.tingkat = 'error' GROUP BY ALL"
    )
    rejected = dict(query(wh, sql))
    assert rejected == {"rusak.xlsx": "F02", "b_TW1.xlsx": "R08"}
    assert query(wh, "SELECT count(*) FROM core.baris_ditolak") == [(1,)]
    assert query(wh, "SELECT status FROM mart.rekap_opd ORDER BY kode_skpd") == [("ditolak",), ("diterima",)]


def test_persen_serapan_is_exact(paths):
    src, wh = paths
    rows = [row(pagu=3, tw=1, kum=1), row(kode="1.06.04.2.01.0002", pagu=1000, tw=123.45, kum=123.45)]
    write_xlsx(src / "a_TW1.xlsx", identity(1), rows)
    run_quarter(src, wh, 2024, 1)
    got = query(wh, "SELECT persen_serapan FROM mart.realisasi_rinci ORDER BY kode_sub_kegiatan")
    assert got == [(Decimal("33.33"),), (Decimal("12.35"),)]  # 12.345 rounds half up
    assert query(wh, "SELECT persen_serapan FROM mart.rekap_opd") == [
        (Decimal("12.41"),)
    ]  # 124.45 / 1003 = 12.408 %


def test_an_impossible_year_is_rejected_not_deferred_forever(paths):
    src, wh = paths
    write_xlsx(src / "a_TW1.xlsx", identity(1, **{"Tahun Anggaran": 2019}), [row()])
    summary = run_quarter(src, wh, 2024, 1)
    assert (summary.files_deferred, summary.rejected) == (0, 1)
    assert query(wh, "SELECT aturan FROM core.validation_issue WHERE tingkat = 'error'") == [("I03",)]


def test_a_row_with_only_realisasi_figures_is_validated_not_skipped(paths):
    src, wh = paths
    write_xlsx(src / "a_TW1.xlsx", identity(1), [row(), [None, None, None, None, None, 5_000, 5_000, None]])
    summary = run_quarter(src, wh, 2024, 1)
    assert (summary.rows_read, summary.rejected) == (2, 1)
    errors = query(wh, "SELECT aturan, baris, kolom FROM core.validation_issue ORDER BY kolom")
    assert errors == [("R01", 3, "B"), ("R01", 3, "C"), ("R01", 3, "D"), ("R01", 3, "E"), ("R01", 3, "F")]


def test_batches_read_and_validated_in_parallel_equal_one_pass(tmp_path):
    """`check_files` on two forked workers, each reading and validating its batch of the sample (TW I to
    TW III files in a TW II run, so TW III files are deferred), gives what one pass in one process
    gives: the same files, rows, findings and per-file records, in the same order."""
    from rekap.settings import SAMPLE_DIR

    incoming = pull_local(SAMPLE_DIR, tmp_path / "mentah", set(), exclude={SAMPLE_DIR / "daftar_opd.csv"})
    one = check_files(incoming, 2024, 2, None, workers=1)
    two = check_files(incoming, 2024, 2, None, workers=2, parallel_from=1)

    assert len(incoming) > 50 and one.deferred and one.findings["file_hash"].nunique() > 1
    assert [f.file_hash for f in two.files] == [f.file_hash for f in one.files]
    assert [f.file_hash for f in two.deferred] == [f.file_hash for f in one.deferred]
    for name in ("berkas", "rows", "findings"):
        pd.testing.assert_frame_equal(getattr(two, name), getattr(one, name))
    assert set(two.seconds) == {"baca", "validasi"} and all(v > 0 for v in two.seconds.values())


def test_the_writer_sees_a_parallel_insert_after_an_insert_of_no_rows(tmp_path):
    """The pattern of a national load (an insert that finds nothing, then one of more than a DuckDB row
    group, 122,880 rows, inserted on several threads): on the writer's working copy, in autocommit, the
    writer's own filters and joins see every row, and so does a reader of the published file. (Inside an
    explicit transaction DuckDB 2.0.0 loses them, docs/skala.md: the load opens none.)"""
    published = tmp_path / "gudang.duckdb"
    with writing(published) as con:
        assert int(con.execute("SELECT current_setting('threads')").fetchone()[0]) >= 2
        con.execute("CREATE TABLE sumber AS SELECT i AS a, 'x' || i AS b FROM range(300000) t(i)")
        con.execute("CREATE TABLE tujuan (a BIGINT, b VARCHAR)")
        con.execute("INSERT INTO tujuan SELECT * FROM sumber WHERE a < 0")
        con.register("bingkai", con.execute("SELECT * FROM sumber").df())
        con.execute("INSERT INTO tujuan SELECT * FROM bingkai")
        seen = con.execute(
            "SELECT count(*) FILTER (WHERE a >= 5), count(*) FROM tujuan JOIN sumber USING (a)"
        )
        assert seen.fetchone() == (299995, 300000)
    assert query(published, "SELECT count(*), sum(a) FROM tujuan") == [(300000, 299999 * 300000 // 2)]


def test_the_registry_of_expected_opds_is_replaced_per_pemda_and_year(tmp_path):
    """Each run's daftar_opd.csv replaces the list of the (pemda, tahun) it names, whatever changed
    (a renamed OPD, one dropped, one added, a line given twice), and leaves every other list as it was."""
    published = tmp_path / "gudang.duckdb"
    first, second = tmp_path / "daftar-1.csv", tmp_path / "daftar-2.csv"
    first.write_text(
        "kode_pemda,tahun,kode_skpd,nama_skpd\n36.02,2024,A,Dinas A\n36.02,2024,B,Dinas B\n"
        "36.02,2023,A,Dinas A lama\n36.03,2024,A,Dinas A Pandeglang\n",
        encoding="utf-8",
    )
    second.write_text(
        "kode_pemda,tahun,kode_skpd,nama_skpd\n36.02,2024,A,Dinas A Baru\n36.02,2024,C,Dinas C\n"
        "36.02,2024,C,Dinas C\n",
        encoding="utf-8",
    )
    registry = "SELECT kode_pemda, tahun, kode_skpd, nama_skpd FROM core.opd_terdaftar ORDER BY ALL"
    for daftar in (first, second, second):
        with writing(published) as con:
            load_daftar_opd(con, daftar)
    assert query(published, registry) == [
        ("36.02", 2023, "A", "Dinas A lama"),
        ("36.02", 2024, "A", "Dinas A Baru"),
        ("36.02", 2024, "C", "Dinas C"),
        ("36.03", 2024, "A", "Dinas A Pandeglang"),
    ]


def _working_copies(published: Path) -> list[Path]:
    return sorted(published.parent.glob(f"{working_prefix(published)}*"))


def test_a_working_copy_made_ahead_takes_no_lock_and_is_discarded_when_not_taken_up(paths):
    src, published = paths
    write_xlsx(src / "a_TW1.xlsx", identity(1), [row(tw=100, kum=100)])
    run_quarter(src, published, 2024, 1)
    before = query(published, "SELECT * FROM mart.realisasi_rinci")
    lock = published.with_name(published.name + ".lock")
    with copy_ahead(published):
        deadline = time.monotonic() + 60
        while not _working_copies(published) and time.monotonic() < deadline:
            time.sleep(0.01)  # the copy is being made, without the writer's lock: others may load meanwhile
        with open(lock, "a+") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    # The run stopped before loading (a failed check, say): no working copy left.
    assert _working_copies(published) == []
    assert query(published, "SELECT * FROM mart.realisasi_rinci") == before


def test_a_copy_made_ahead_of_another_runs_publish_is_not_used(paths):
    """Run A copies ahead; run B loads and publishes meanwhile; A then copies again under the lock, so
    B's files are in the warehouse A publishes."""
    src, published = paths
    write_xlsx(src / "a_TW1.xlsx", identity(1), [row(tw=100, kum=100)])
    run_quarter(src, published, 2024, 1)
    other = src.parent / "lain"
    write_xlsx(other / "b_TW1.xlsx", identity(1, skpd="2.07.3.32.0.00.01.0000"), [row(tw=5, kum=5)])
    with copy_ahead(published) as working_copy:
        working_copy.result()  # the copy is made
        run_quarter(other, published, 2024, 1)  # another run publishes (its own copy, under the lock)
        write_xlsx(src / "c_TW1.xlsx", identity(1, skpd="1.04.0.00.0.00.01.0000"), [row(tw=7, kum=7)])
        incoming = pull_local(src, published.parent / "mentah", seen_hashes(published))
        checked = check_files(incoming, 2024, 1, "36.02")
        load_and_roll_up(checked, published, None, new_run_id(), working_copy=working_copy)
    skpd = {k for (k,) in query(published, "SELECT DISTINCT kode_skpd FROM core.submission")}
    assert skpd == {DINSOS, "2.07.3.32.0.00.01.0000", "1.04.0.00.0.00.01.0000"}
    assert _working_copies(published) == []


def test_waiting_for_the_writer_has_a_limit_and_says_who_holds_it(paths, monkeypatch):
    from rekap.contract.errors import RunError

    _src, published = paths
    monkeypatch.setenv("REKAP_MAX_LOCK_WAIT_SECONDS", "0.5")
    held = r"sedang ditulis \(proses \d+ sejak .*0\.5 detik"
    with writing(published), pytest.raises(RunError, match=held), writing(published):
        pass


def test_working_copies_of_runs_that_died_are_removed(paths):
    _src, published = paths
    published.parent.mkdir(parents=True, exist_ok=True)
    dead = published.with_name(f"{working_prefix(published)}-999999-deadbeef")
    legacy = published.with_name(f"{working_prefix(published)}")
    for stale in (dead, legacy, dead.with_name(dead.name + ".wal")):
        stale.write_bytes(b"sisa")
    with writing(published):
        pass
    assert _working_copies(published) == []


def _submission_index(published: Path) -> list[tuple]:
    return query(
        published,
        "SELECT constraint_type FROM duckdb_constraints() "
        "WHERE table_name = 'submission' AND constraint_type = 'PRIMARY KEY'",
    )


def test_a_warehouse_made_with_an_index_on_file_hash_loses_it_and_keeps_every_submission(paths):
    src, published = paths
    write_xlsx(src / "tw1" / "a_TW1.xlsx", identity(1), [row(tw=100, kum=100)])
    run_quarter(src / "tw1", published, 2024, 1)
    # core.submission as it was first made, with a PRIMARY KEY on file_hash, holding the same rows.
    ddl = (SQL_DIR / "schema" / "02_core_submission.sql").read_text(encoding="utf-8")
    con = connect(published)
    first = con.execute("SELECT * FROM core.submission").fetchall()
    con.execute("CREATE TEMP TABLE lama AS SELECT * FROM core.submission")
    con.execute("DROP TABLE core.submission")
    con.execute(ddl.replace("file_hash        VARCHAR NOT NULL", "file_hash        VARCHAR PRIMARY KEY"))
    con.execute("INSERT INTO core.submission SELECT * FROM lama")
    con.close()
    assert _submission_index(published) == [("PRIMARY KEY",)]
    write_xlsx(src / "tw2" / "a_TW2.xlsx", identity(2), [row(tw=50, kum=150)])
    summary = run_quarter(src, published, 2024, 2)
    assert summary.accepted == 1 and _submission_index(published) == []
    rows = query(published, "SELECT * FROM core.submission ORDER BY triwulan")
    assert rows[0] == first[0] and [r[8] for r in rows] == [1, 2]


def test_a_file_recorded_twice_stops_the_run_and_the_published_warehouse_stays(paths):
    src, published = paths
    write_xlsx(src / "tw1" / "a_TW1.xlsx", identity(1), [row(tw=100, kum=100)])
    run_quarter(src / "tw1", published, 2024, 1)
    con = connect(published)
    con.execute("INSERT INTO core.submission SELECT * FROM core.submission")  # what the key would refuse
    con.close()
    before = query(published, "SELECT count(*) FROM core.submission")
    write_xlsx(src / "tw2" / "a_TW2.xlsx", identity(2), [row(tw=50, kum=150)])
    with pytest.raises(RuntimeError, match="tercatat lebih dari sekali"):
        run_quarter(src, published, 2024, 2)
    assert query(published, "SELECT count(*) FROM core.submission") == before


def test_a_warehouse_made_with_narrow_mart_sums_is_widened_and_keeps_its_figures(paths):
    """Sums of a pemda's rows were DECIMAL(18,2), which they need not fit: an older warehouse's marts are
    widened in place, their figures kept."""
    src, published = paths
    write_xlsx(src / "a_TW1.xlsx", identity(1), [row(tw=100, kum=100)])
    run_quarter(src, published, 2024, 1)
    con = connect(published)
    before = con.execute("SELECT * FROM mart.rekap_opd ORDER BY ALL").fetchall()
    for table, column in [
        ("rekap_opd", "pagu"),
        ("rekap_opd", "tw4"),
        ("rekap_strategi", "realisasi_kumulatif"),
    ]:
        con.execute(f"ALTER TABLE mart.{table} ALTER COLUMN {column} SET DATA TYPE DECIMAL(18, 2)")
    con.close()
    write_xlsx(src / "b_TW1.xlsx", identity(1, skpd="2.07.3.32.0.00.01.0000"), [row(tw=5, kum=5)])
    run_quarter(src, published, 2024, 1)
    types = query(
        published,
        "SELECT DISTINCT data_type FROM duckdb_columns() WHERE schema_name = 'mart' AND table_name IN "
        "('rekap_opd', 'rekap_strategi') AND column_name IN ('pagu', 'tw4', 'realisasi_kumulatif')",
    )
    assert types == [("DECIMAL(38,2)",)]
    after = query(published, "SELECT * FROM mart.rekap_opd WHERE kode_skpd = ? ORDER BY ALL", DINSOS)
    assert after == [r for r in before if r[3] == DINSOS]


def test_the_largest_amounts_a_row_may_hold_add_up_exactly_in_the_marts_and_the_report(paths):
    """Eleven rows of Rp 999.999.999.999.999 each (just under R14's bound): their total, 16 digits and more,
    is exact in the marts and the report's tables."""
    from rekap.report.build import build_report, write_report

    src, published = paths
    big = Decimal("999999999999999")
    rows = [row(kode=f"1.06.04.2.01.{n:04d}", pagu=int(big), tw=0, kum=0) for n in range(1, 12)]
    write_xlsx(src / "a_TW1.xlsx", identity(1), rows)
    summary = run_quarter(src, published, 2024, 1)
    assert (summary.accepted, summary.rejected) == (1, 0)
    assert query(published, "SELECT pagu FROM mart.rekap_opd WHERE triwulan = 1") == [(11 * big,)]
    con = connect(published, read_only=True)
    try:
        report = build_report(con, "36.02", 2024, 1)
    finally:
        con.close()
    (total,) = [r[2] for r in report.table("t0").rows if r[0] == "Total pagu (Rp)"]
    assert total == 11 * big
    written = write_report(report, published.parent / "laporan")
    assert [p.suffix for p in written] == [".xlsx", ".html", ".pdf"]
    assert (
        "10.999.999.999.999.989"
        in (published.parent / "laporan" / "laporan-ke_36.02_2024_tw1.html").read_text()
    )
