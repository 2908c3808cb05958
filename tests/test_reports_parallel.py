"""A run of many pemda (a province's, the country's) writes their reports in parallel processes: through
a real Prefect flow run over six generated pemda, every pemda gets its workbook, page, PDF and letters,
byte for byte what the same functions write one pemda after another in this process."""

from __future__ import annotations

from pathlib import Path

from bench.generate import generate
from rekap import runtime
from rekap.intake.folder import pull_local
from rekap.load.load import load_and_roll_up, new_run_id
from rekap.report.artifacts import SHOWN_TABLES, ringkasan_markdown
from rekap.report.build import build_report, write_report
from rekap.report.letters import write_letters
from rekap.runtime.reports import PARALLEL_REPORTS_FROM, write_reports
from rekap.warehouse.store import connect


def test_a_run_of_many_pemda_writes_every_report_as_one_process_would(prefect_api, tmp_path: Path) -> None:
    from flows.triwulan import rekap_triwulan

    data = generate(scale=0.01, out=tmp_path / "data", workers=1)  # six pemda, TW I and TW II
    warehouse, out = tmp_path / "gudang.duckdb", tmp_path / "laporan"
    summary = rekap_triwulan(
        source=str(data), tahun=2024, triwulan=2, pemda=None,
        daftar_opd=str(data / "daftar_opd.csv"), warehouse=str(warehouse), out=str(out),
    )  # fmt: skip
    assert len(summary.reports) == 6 >= PARALLEL_REPORTS_FROM

    one_by_one = tmp_path / "satu-per-satu"
    con = connect(warehouse, read_only=True)
    try:
        for kode_pemda, files in summary.reports.items():
            report = build_report(con, kode_pemda, 2024, 2)
            letters = write_letters(con, kode_pemda, 2024, 2, one_by_one, summary.run_id)
            expected = write_report(report, one_by_one) + letters
            written = [Path(f) for f in files]
            assert [p.relative_to(out) for p in written] == [p.relative_to(one_by_one) for p in expected]
            for got, want in zip(written, expected, strict=True):
                assert got.read_bytes() == want.read_bytes(), got.name
    finally:
        con.close()


def test_a_report_worker_sends_back_what_the_artifact_shows(tmp_path: Path) -> None:
    """A report worker sends back only the tables that the run's artifact shows, not the whole report (a
    pickle of some 86 KB a report, for a run's process to take in); the artifact is the same."""
    data = generate(scale=0.01, out=tmp_path / "data", workers=1)
    warehouse = tmp_path / "gudang.duckdb"
    incoming = pull_local(data / "tw1", tmp_path / "mentah", set())
    checked = runtime.check_files(incoming, 2024, 1, None)
    summary = load_and_roll_up(checked, warehouse, data / "daftar_opd.csv", new_run_id())
    written = list(write_reports(warehouse, summary.pemda, 2024, 1, tmp_path / "laporan", summary.run_id))
    assert len(written) == len(summary.pemda) >= PARALLEL_REPORTS_FROM
    con = connect(warehouse, read_only=True)
    try:
        for w in written:
            assert w.report is not None and [t.key for t in w.report.tables] == list(SHOWN_TABLES)
            whole = build_report(con, w.kode_pemda, 2024, 1)
            assert ringkasan_markdown(w.report, w.files) == ringkasan_markdown(whole, w.files)
    finally:
        con.close()
