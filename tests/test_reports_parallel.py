"""A run of many pemda (a province's, the country's) writes their reports in parallel processes: through
a real Prefect flow run over six generated pemda, every pemda gets its workbook, page, PDF and letters,
byte for byte what the same functions write one pemda after another in this process."""

from __future__ import annotations

from pathlib import Path

from bench.generate import generate
from rekap.report.build import build_report, write_report
from rekap.report.letters import write_letters
from rekap.runtime.reports import PARALLEL_REPORTS_FROM
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
