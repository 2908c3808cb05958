"""The tasks of a quarterly run: Prefect policy (retries, logs, artifacts) around plain `rekap` functions."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from prefect import State, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import Failed

from rekap import runtime
from rekap.contract.errors import RunError
from rekap.intake import sources
from rekap.intake.raw import reread_incoming
from rekap.load.load import load_and_roll_up
from rekap.load.summary import RunSummary
from rekap.report import artifacts
from rekap.report.outcome import describe, read_outcome
from rekap.runtime.checking import Batch
from rekap.settings import Retry, s3_storage_options
from rekap.validation.batch import Checked, merge_checked
from rekap.warehouse.store import seen_hashes
from rekap.warehouse.writer import WorkingCopy


def _may_pass(task: object, task_run: object, state: State) -> bool:
    """Retry a failed pull unless the steward must act first (a missing folder will not appear by itself;
    remote files already had their own retries)."""
    try:
        state.result()
    except RunError:
        return False
    except Exception:
        return True
    return True


@task(name="tarik-berkas", retries=2, retry_delay_seconds=[5, 30], retry_condition_fn=_may_pass)
def pull_submissions(
    source: str, warehouse: Path, raw_dir: Path, exclude: list[Path], baca_ulang: tuple[str, ...] = ()
) -> sources.Pulled:
    """Pull the files the warehouse has not recorded for good into the raw store, from a folder, HTTP(S)
    or S3; and the recorded files asked for by hash (`baca_ulang`) from the raw store."""
    kind = sources.source_kind(source)
    again = reread_incoming(warehouse, raw_dir, baca_ulang)
    pulled = sources.pull(
        source,
        raw_dir,
        seen_hashes(warehouse) | {i.file_hash for i in again},
        {p.resolve() for p in exclude},
        storage_options=s3_storage_options() if kind == "s3" else None,
        retry=Retry.from_settings(),
    )
    pulled.incoming += again
    pulled.reread = {i.file_hash for i in again}
    logger = get_run_logger()
    logger.info(
        "Sumber %s: %d berkas ditemukan; %d baru, %d sudah pernah diterima, %d tidak dibaca, "
        "%d gagal diambil",
        sources.shown_url(source),
        pulled.listed,
        len(pulled.incoming) - len(pulled.reread),
        pulled.already_seen,
        len(pulled.passed_over),
        len(pulled.failures),
    )
    for failure in pulled.failures:
        logger.warning("Berkas GAGAL diambil: %s: %s", failure.source_path, failure.reason)
    for passed in pulled.passed_over:
        logger.info("Berkas tidak dibaca: %s: %s", passed.source_path, passed.alasan)
    if pulled.failures:
        create_table_artifact(
            key="berkas-gagal-diambil",
            table=[{"berkas": f.source_path, "alasan": f.reason} for f in pulled.failures],
            description="Berkas yang tidak dapat diambil dari sumber; jalankan ulang setelah sumber pulih.",
        )
    return pulled


# The read-and-validate and load tasks pass a quarter's rows in memory and are never cached: without
# NO_CACHE Prefect hashes their inputs for a cache key (about 45 s for a national quarter, docs/skala.md).
@task(name="baca-dan-validasi", cache_policy=NO_CACHE)
def check_submissions(batch: Batch, tahun: int, triwulan: int, pemda: str | None) -> Checked:
    """Read a batch of new files and validate them with the Great Expectations suites, in worker
    processes that a file may bring down without stopping the run (`rekap.runtime`)."""
    incoming = batch.files
    checked = runtime.check_files(incoming, tahun, triwulan, pemda, batch.workers)
    logger = get_run_logger()
    rows_read = dict(zip(checked.berkas["file_hash"], checked.berkas["rows_read"], strict=True))
    for f in [*checked.files, *checked.deferred]:
        if f.readable and len(incoming) > 100:
            continue  # at national scale one line per file would drown the log: only the unreadable
        state = f"{rows_read.get(f.file_hash, len(f.rows))} baris" if f.readable else "TIDAK TERBACA"
        logger.info("Dibaca: %s (%s)", f.file_name, state)
    errors = checked.findings[checked.findings["tingkat"] == "error"]
    logger.info(
        "Dibaca dan divalidasi: %d berkas, %d baris, %d kesalahan; %d berkas untuk triwulan/tahun lain "
        "(waktu proses: baca %.1f s, validasi %.1f s)",
        len(checked.files),
        len(checked.rows),
        len(errors),
        len(checked.deferred),
        checked.seconds.get("baca", 0.0),
        checked.seconds.get("validasi", 0.0),
    )
    return checked


@task(name="muat-dan-rekap", cache_policy=NO_CACHE)
def load_warehouse(
    checked: list[Checked],
    pulled: sources.Pulled,
    warehouse: Path,
    daftar_opd: Path | None,
    run_id: str,
    working_copy: Future[WorkingCopy] | None = None,
) -> RunSummary:
    """Load the validated batches, apply the cross-quarter rules, rebuild the marts and publish the
    warehouse (one writer, whatever ran the batches), in `working_copy` if it was made ahead."""
    summary = load_and_roll_up(
        merge_checked(checked), warehouse, daftar_opd, run_id, pulled.reread, pulled.passed_over,
        working_copy,
    )  # fmt: skip
    summary.pull_failures = list(pulled.failures)
    logger = get_run_logger()
    logger.info(
        "Gudang data diterbitkan: %s (%d diterima, %d ditolak; %d baris dibaca = %d diterima + %d ditolak)",
        warehouse,
        summary.accepted,
        summary.rejected,
        summary.rows_read,
        summary.rows_accepted,
        summary.rows_rejected,
    )
    for line in describe(read_outcome(warehouse, summary, summary.pemda)):
        logger.warning(line)
    return summary


def run_failed(exc: RunError) -> State:
    """The end of a run that could not go on for a reason the steward can act on: that reason, in one
    line, as the message of its Failed state (the UI, `prefect flow-run inspect`, the notification) and in
    its log (`prefect deployment run ... --watch`)."""
    get_run_logger().error("Rekap GAGAL: %s", exc)
    return Failed(message=str(exc), data=exc)


@task(name="terbitkan-laporan")
def publish_reports(summary: RunSummary, warehouse: Path, out_dir: Path) -> RunSummary:
    """Write the report and letters of every pemda of the run from the published warehouse, those whose
    inputs changed since they were written (in parallel processes for many, `rekap.runtime`), and show
    each report written on the Prefect server."""
    logger = get_run_logger()
    for written in runtime.write_reports(
        warehouse, summary.pemda, summary.tahun, summary.triwulan, out_dir, summary.run_id
    ):
        pemda = written.kode_pemda
        summary.reports[pemda] = [str(p) for p in [*written.files, *written.letters]]
        if written.report is None:
            summary.reports_current.append(pemda)
        else:
            report = written.report
            create_markdown_artifact(
                key=artifacts.artifact_key("ringkasan", pemda),
                markdown=artifacts.ringkasan_markdown(report, written.files),
                description=f"Laporan KE {pemda} TW {report.triwulan} {report.tahun}",
            )
            logger.info("Laporan %s: %s", pemda, ", ".join(map(str, written.files)))
        if written.letters_written:
            logger.info(
                "Surat dan ringkasan tindak lanjut %s: %s", pemda, ", ".join(map(str, written.letters))
            )
    if summary.reports_current:
        logger.info(
            "%d laporan tidak ditulis ulang: masukannya sama dengan saat laporan itu ditulis (%s)",
            len(summary.reports_current),
            ", ".join(summary.reports_current),
        )
    return summary
