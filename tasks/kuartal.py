"""The tasks of a quarterly run. Each calls one plain function of `rekap.pipeline` or `rekap.report`."""

from __future__ import annotations

from pathlib import Path

from prefect import get_run_logger, task

from rekap import pipeline
from rekap.report import build_report, write_report
from rekap.warehouse import seen_hashes


@task(name="tarik-berkas", retries=2, retry_delay_seconds=[5, 30])
def pull_submissions(
    source: str, warehouse: Path, raw_dir: Path, exclude: list[Path]
) -> list[pipeline.Incoming]:
    """Pull the files the warehouse has not seen yet into the raw store."""
    incoming = pipeline.pull_local(
        Path(source), raw_dir, seen_hashes(warehouse), {p.resolve() for p in exclude}
    )
    get_run_logger().info("Berkas baru dari %s: %d", source, len(incoming))
    return incoming


@task(name="baca-berkas")
def parse_submissions(incoming: list[pipeline.Incoming]) -> list:
    """Read every new file (in parallel processes when there are many)."""
    parsed = pipeline.parse_all(incoming)
    logger = get_run_logger()
    for f in parsed:
        state = f"{len(f.rows)} baris" if f.readable else "TIDAK TERBACA"
        logger.info("Dibaca: %s (%s)", f.file_name, state)
    return parsed


@task(name="validasi")
def validate_submissions(
    parsed: list, incoming: list[pipeline.Incoming], tahun: int, triwulan: int, pemda: str | None
) -> pipeline.Checked:
    """Validate the run's files with the Great Expectations suites."""
    checked = pipeline.validate_run(parsed, incoming, tahun, triwulan, pemda)
    errors = checked.findings[checked.findings["tingkat"] == "error"]
    get_run_logger().info(
        "Divalidasi: %d berkas, %d baris, %d kesalahan; %d berkas untuk triwulan/tahun lain",
        len(checked.files),
        len(checked.rows),
        len(errors),
        len(checked.deferred),
    )
    return checked


@task(name="muat-dan-rekap")
def load_warehouse(
    checked: pipeline.Checked, warehouse: Path, daftar_opd: Path | None, run_id: str
) -> pipeline.RunSummary:
    """Load, apply the cross-quarter rules, rebuild the marts and publish the warehouse."""
    summary = pipeline.load_and_roll_up(checked, warehouse, daftar_opd, run_id)
    get_run_logger().info(
        "Gudang data diterbitkan: %s (%d diterima, %d ditolak; %d baris dibaca = %d diterima + %d ditolak)",
        warehouse,
        summary.accepted,
        summary.rejected,
        summary.rows_read,
        summary.rows_accepted,
        summary.rows_rejected,
    )
    return summary


@task(name="terbitkan-laporan")
def publish_reports(summary: pipeline.RunSummary, warehouse: Path, out_dir: Path) -> pipeline.RunSummary:
    """Write the report of every pemda of the run from the published warehouse."""
    con = pipeline.open_published(warehouse)
    try:
        for kode_pemda in summary.pemda:
            report = build_report(con, kode_pemda, summary.tahun, summary.triwulan)
            paths = write_report(report, out_dir)
            summary.reports[kode_pemda] = [str(p) for p in paths]
            get_run_logger().info("Laporan %s: %s", kode_pemda, ", ".join(summary.reports[kode_pemda]))
    finally:
        con.close()
    return summary
