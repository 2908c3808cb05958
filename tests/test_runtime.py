"""`rekap.runtime`'s interface: a quarter's working copy made ahead and taken up by the load, the batches of
the read-and-validate step, and a temporary server asked for with Prefect's public settings only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rekap import runtime
from rekap.intake.folder import pull_local
from rekap.load.load import load_and_roll_up, new_run_id
from rekap.runtime import isolation, temporary_server
from rekap.settings import Limits
from rekap.validation.batch import check_batch
from rekap.warehouse.store import connect, seen_hashes
from rekap.warehouse.writer import working_prefix, writing
from tests.builders import identity, row, write_xlsx


def _working_copies(published: Path) -> list[Path]:
    return sorted(published.parent.glob(f"{working_prefix(published)}*"))


def _load(source: Path, warehouse: Path, machine: runtime.Quarter | None = None):  # type: ignore[no-untyped-def]
    incoming = pull_local(source, warehouse.parent / "mentah", seen_hashes(warehouse))
    checked = runtime.check_files(incoming, 2024, 1, "36.02")
    return load_and_roll_up(
        checked, warehouse, None, new_run_id(), working_copy=machine.working_copy if machine else None
    )


def test_a_quarter_loads_into_the_copy_made_ahead(tmp_path: Path) -> None:
    source, warehouse = tmp_path / "berkas", tmp_path / "gudang" / "g.duckdb"
    write_xlsx(source / "a_TW1.xlsx", identity(1), [row(tw=100, kum=100)])
    _load(source, warehouse)
    write_xlsx(source / "b_TW1.xlsx", identity(1, skpd="2.07.3.32.0.00.01.0000"), [row(tw=5, kum=5)])
    with runtime.quarter(warehouse) as machine:
        made_ahead = machine.working_copy.result().path
        assert made_ahead.exists()
        summary = _load(source, warehouse, machine)
        assert machine.working_copy.result().taken
        assert not made_ahead.exists()  # renamed: it is the published file now
    assert summary.accepted == 1 and _working_copies(warehouse) == []
    con = connect(warehouse, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM core.submission").fetchone() == (2,)
    finally:
        con.close()


def test_a_copy_made_ahead_is_taken_up_once(tmp_path: Path) -> None:
    """A second writer (a retried load) given the same copy makes its own: the first one's copy was
    published or discarded."""
    warehouse = tmp_path / "g.duckdb"
    with runtime.quarter(warehouse) as machine:
        with writing(warehouse, machine.working_copy) as con:
            con.execute("CREATE TABLE satu AS SELECT 1 AS x")
        first = machine.working_copy.result().path
        with writing(warehouse, machine.working_copy) as con:
            con.execute("CREATE TABLE dua AS SELECT 2 AS x")
            assert con.execute("SELECT x FROM satu").fetchall() == [(1,)]
    assert not first.exists() and _working_copies(warehouse) == []


def test_the_read_and_validate_batches(tmp_path: Path) -> None:
    files = [tmp_path / f"{i}.xlsx" for i in range(5)]
    (whole,) = runtime.batches(files, None)
    assert whole.files == files and whole.workers is None  # one task, every core
    split = runtime.batches(files, 2)
    assert [b.files for b in split] == [files[:2], files[2:4], files[4:]]
    assert {b.workers for b in split} == {1}  # a task per batch, one process each
    assert [b.files for b in runtime.batches([], 2)] == [[]]  # a run with no file still runs each step


def test_the_temporary_server_is_configured_with_public_prefect_settings_only() -> None:
    """Every setting given to the temporary server is one Prefect reads (a typo or a setting renamed in a
    later Prefect 3 would be silently ignored), none is private (`PREFECT__...`)."""
    assert all(not name.startswith("PREFECT__") for name in temporary_server.SERVER_SETTINGS)
    code = (
        "from prefect.settings import Settings\n"
        "s = Settings().server\n"
        "off = sorted(n for n, v in s.services if getattr(v, 'enabled', 1) is False)\n"
        "print(s.ui.enabled, s.analytics_enabled, s.database.migrate_on_start, off)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_SERVER_")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, **temporary_server.SERVER_SETTINGS, **temporary_server.MIGRATED},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    ui, analytics, migrate, disabled = done.stdout.strip().split(" ", 3)
    assert (ui, analytics, migrate) == ("False", "False", "False")
    for service in ("scheduler", "late_runs", "cancellation_cleanup", "foreman", "pause_expirations",
                    "repossessor", "cleanup_reconciler"):  # fmt: skip
        assert f"'{service}'" in disabled
    for kept in ("task_run_recorder", "event_persister"):  # what records the run, as in Prefect's own
        assert f"'{kept}'" not in disabled


def _check_in_reader(files, before_file, before_validation):  # type: ignore[no-untyped-def]
    """Run in a reader worker: the batch's check, and which of the modules kept from GX were imported. The
    packages are named here, not taken from `reader_server.NOT_FOUND_HERE`: importing that module hides them
    from the process that imports it, and the test pins which ones a reader must do without."""
    checked = check_batch(
        files, before_file, before_validation, tahun=2024, triwulan=1, pemda="36.02", limits=Limits()
    )
    return checked, sorted(
        m for m in sys.modules if m.partition(".")[0] in ("sqlalchemy", "boto3", "botocore")
    )


def test_readers_validate_with_gx_without_its_sql_and_s3_modules(tmp_path: Path) -> None:
    """The readers' GX runs without SQLAlchemy, boto3 and botocore (installed for Prefect's server and S3
    sources; with them, GX imports its SQL and S3 machinery: about 0.5 s of every run's start) and still
    finds what its suites look for: a malformed sub kegiatan code (a regular expression), a missing
    name (not null) and the first row's code and sumber dana again (compound unique)."""
    write_xlsx(tmp_path / "tw1" / "dinsos.xlsx", identity(), [row(), row(kode="1.06.XX"), row(nama="")])
    incoming = pull_local(tmp_path / "tw1", tmp_path / "mentah", set())
    outcome = isolation.check_isolated(incoming, [[0]], _check_in_reader, Limits())
    assert not outcome.failures
    [(_, (checked, imported))] = outcome.parts
    assert imported == []
    findings = checked.findings
    found = sorted(zip(findings["baris"].tolist(), findings["kolom"], findings["aturan"], strict=True))
    assert found == [(2, "B", "R11"), (3, "B", "R02"), (4, "B", "R11"), (4, "C", "R01")]
