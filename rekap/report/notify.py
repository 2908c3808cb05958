"""Tell the people who chase the OPDs when a run needs them: it failed, or it finished with rejected files,
OPDs whose quarter is not in, or files that could not be fetched. A JSON message (summary in Bahasa
Indonesia) is POSTed to the configured webhook and, where SMTP is configured, e-mailed.

`on_completion` and `on_failure` are the Prefect flow hooks; the rest are plain functions."""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
import time
from dataclasses import asdict
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from rekap.contract.calendar import resolve_period
from rekap.contract.errors import RunError
from rekap.intake.redaction import redact, redact_all, without_control_characters
from rekap.load.summary import RunSummary
from rekap.report.outcome import Outcome, describe, headline, read_outcome, tw
from rekap.settings import Notification, default_warehouse, setting

log = logging.getLogger(__name__)
WEBHOOK_BACKOFF_SECONDS = 1.0  # first wait before the webhook is tried again; doubled each time


# --- messages ------------------------------------------------------------------------------------


def completion_message(
    summary: RunSummary, outcome: Outcome, run: dict[str, str | None] | None = None
) -> dict[str, Any]:
    """The message for a run that finished: headline, one line per loose end, and the same as data."""
    judul = headline(outcome)
    lines = [judul, "", *describe(outcome)]
    lines += [
        "",
        f"Berkas baru: {summary.files_new} ({summary.accepted} diterima, {summary.rejected} ditolak); "
        f"baris dibaca {summary.rows_read} = {summary.rows_accepted} diterima + "
        f"{summary.rows_rejected} ditolak.",
    ]
    for kode, paths in summary.reports.items():
        lines.append(f"Laporan {kode}: {', '.join(paths)}")
    if run and run.get("url"):
        lines.append(f"Rincian run: {run['url']}")
    return {
        "text": "\n".join(lines),
        "judul": judul,
        "status": "selesai-dengan-catatan" if outcome.needs_attention else "selesai",
        "tahun": outcome.tahun,
        "triwulan": outcome.triwulan,
        "pemda": outcome.pemda,
        "berkas_ditolak": [asdict(f) for f in outcome.rejected_files],
        "opd_ditolak": [asdict(o) for o in outcome.opd_ditolak],
        "opd_belum_menyampaikan": [asdict(o) for o in outcome.opd_belum],
        "gagal_diambil": [{"berkas": p, "alasan": r} for p, r in outcome.pull_failures],
        "laporan": summary.reports,
        "run": run or {},
    }


def failure_message(
    tahun: int | None, triwulan: int | None, error: str, run: dict[str, str | None] | None = None
) -> dict[str, Any]:
    """The message for a run that failed or crashed."""
    periode = f"TA {tahun} {tw(triwulan)}" if tahun else "triwulan yang diminta"
    judul = f"Rekap KE {periode} GAGAL."
    lines = [
        judul,
        "",
        f"Penyebab: {error}",
        "Laporan triwulan ini belum diperbarui. Perbaiki penyebabnya lalu jalankan ulang run ini "
        "(menjalankan ulang satu triwulan aman: datanya diganti, tidak digandakan).",
    ]
    if run and run.get("url"):
        lines.append(f"Log run: {run['url']}")
    return {
        "text": "\n".join(lines),
        "judul": judul,
        "status": "gagal",
        "tahun": tahun,
        "triwulan": triwulan,
        "penyebab": error,
        "run": run or {},
    }


# --- delivery ------------------------------------------------------------------------------------


class DeliveryError(Exception):
    """A notification that did not go out, worded without the secret it was sent with."""


def post_webhook(url: str, message: dict[str, Any], attempts: int = 3, timeout: float = 15.0) -> None:
    """POST the message as JSON; try again on connection errors and 5xx, raise `DeliveryError` if it never
    goes through. The URL is the webhook's secret: no error quotes it."""
    import httpx

    body = json.dumps(message, ensure_ascii=False, default=str).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8"}
    for attempt in range(1, attempts + 1):
        try:
            response = httpx.post(url, content=body, headers=headers, timeout=timeout)
            if response.is_success:
                return
            error = f"webhook menjawab HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code != 429:
                break
        except httpx.HTTPError as exc:  # the message of an httpx error may quote the URL
            error = f"webhook tidak dapat dihubungi ({type(exc).__name__}: {redact(exc, url)})"
        if attempt < attempts:
            time.sleep(WEBHOOK_BACKOFF_SECONDS * 2 ** (attempt - 1))
    raise DeliveryError(error)


def smtp_context(config: Notification) -> ssl.SSLContext:
    """The TLS context for STARTTLS: the server's certificate must chain to a trusted authority (the
    system's, or those of `REKAP_SMTP_CA_FILE`) and name the host connected to."""
    return ssl.create_default_context(cafile=config.smtp_ca_file)


def send_email(config: Notification, subject: str, body: str) -> None:
    """Send the message as plain-text e-mail through the configured SMTP server, the password only over
    a verified TLS connection. The subject is made one line (it may hold a name an OPD typed)."""
    if config.smtp_password and not config.smtp_starttls:
        raise DeliveryError("kata sandi SMTP tidak dikirim tanpa STARTTLS (REKAP_SMTP_STARTTLS=false)")
    mail = EmailMessage()
    mail["Subject"] = without_control_characters(subject)
    mail["From"] = config.smtp_from
    mail["To"] = ", ".join(config.email_to)
    mail.set_content(body)
    assert config.smtp_host
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=30) as smtp:
        if config.smtp_starttls:
            smtp.starttls(context=smtp_context(config))
        if config.smtp_user:
            smtp.login(config.smtp_user, config.smtp_password or "")
        smtp.send_message(mail)


def deliver(
    message: dict[str, Any], config: Notification, logger: logging.Logger | logging.LoggerAdapter = log
) -> list[str]:
    """Send the message on every configured channel; return the channels it went out on. A channel
    that fails is logged and does not stop the others. What goes out and what is logged is redacted."""
    secrets = (config.webhook_url, config.smtp_password)
    message = redact_all(message, secrets)
    sent = []
    if config.webhook_url:
        try:
            post_webhook(config.webhook_url, message)
            sent.append("webhook")
        except Exception as exc:
            logger.error("Notifikasi ke webhook gagal: %s", redact(exc, *secrets))
    if config.smtp_host and config.email_to:
        try:
            send_email(config, message["judul"], message["text"])
            sent.append("email")
        except Exception as exc:
            logger.error("Notifikasi e-mail gagal: %s", redact(exc, *secrets))
    return sent


# --- Prefect flow hooks --------------------------------------------------------------------------


def _run_info(flow_run: Any) -> dict[str, str | None]:
    from prefect.settings import get_current_settings

    ui = get_current_settings().ui_url
    return {
        "id": str(flow_run.id),
        "nama": flow_run.name,
        "url": f"{ui.rstrip('/')}/runs/flow-run/{flow_run.id}" if ui else None,
    }


def _logger(flow: Any, flow_run: Any) -> logging.Logger | logging.LoggerAdapter:
    from prefect.logging.loggers import flow_run_logger

    return flow_run_logger(flow_run, flow)


def on_completion(flow: Any, flow_run: Any, state: Any) -> None:
    """Flow hook: notify when a finished run left rejected files, missing OPDs or failed fetches."""
    logger = _logger(flow, flow_run)
    config = Notification.from_settings()
    if not (config.webhook_url or config.smtp_host):
        return
    summary = state.result(raise_on_failure=False)
    if not isinstance(summary, RunSummary):
        return
    parameters = flow_run.parameters or {}
    warehouse = Path(parameters["warehouse"]) if parameters.get("warehouse") else default_warehouse()
    pemda = summary.pemda or [p for p in [parameters.get("pemda") or setting("REKAP_PEMDA")] if p]
    outcome = read_outcome(warehouse, summary, pemda)
    if not outcome.needs_attention:
        logger.info("Tidak ada yang perlu ditindaklanjuti: notifikasi tidak dikirim.")
        return
    sent = deliver(completion_message(summary, outcome, _run_info(flow_run)), config, logger)
    logger.info("Notifikasi terkirim lewat: %s", ", ".join(sent) or "tidak ada (lihat galat di atas)")


def failure_cause(state: Any) -> str:
    """The cause of a failed run in one line: our own errors are already worded for the steward."""
    try:
        exc = state.result(raise_on_failure=False)
    except Exception:  # a crashed run may have no result to read
        exc = None
    if isinstance(exc, RunError):
        return redact(exc)
    if isinstance(exc, BaseException):
        return redact(f"{type(exc).__name__}: {exc}")
    return redact(state.message or state.name)


def on_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """Flow hook (failed or crashed run): notify with the cause."""
    logger = _logger(flow, flow_run)
    config = Notification.from_settings()
    if not (config.webhook_url or config.smtp_host):
        return
    parameters = flow_run.parameters or {}
    try:
        tahun, triwulan = resolve_period(parameters.get("tahun"), parameters.get("triwulan"))
    except ValueError:
        tahun, triwulan = parameters.get("tahun"), parameters.get("triwulan")
    sent = deliver(
        failure_message(tahun, triwulan, failure_cause(state), _run_info(flow_run)), config, logger
    )
    logger.info("Notifikasi kegagalan terkirim lewat: %s", ", ".join(sent) or "tidak ada")
