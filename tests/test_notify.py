"""Notifications: the messages (plain functions), then two real flow runs whose hooks POST to a webhook
receiver on 127.0.0.1: one finishing with a rejected file and missing OPDs, one failing (also e-mailed
to a local SMTP server)."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from rekap.contract.errors import RunError
from rekap.load.summary import RunSummary
from rekap.report.notify import completion_message, deliver, failure_message
from rekap.report.outcome import OpenOpd, Outcome, RejectedFile
from rekap.settings import SAMPLE_DIR, Notification
from tests import receivers

DEFECTIVE = "36.02_2024_TW3_3.30.3.31.0.00.01.0000_Dinas-Perindustrian-dan-Perdagangan.xlsx"
VALID = "36.02_2024_TW3_1.06.0.00.0.00.01.0000_Dinas-Sosial.xlsx"


def outcome() -> Outcome:
    return Outcome(
        2024,
        3,
        {"36.02": "Kabupaten Lebak"},
        [
            RejectedFile(
                "Lap Disperindag.xlsx", "3.30.3.31.0.00.01.0000", "Disperindag", 3, 1, "melebihi pagu"
            )
        ],
        [
            OpenOpd("36.02", "3.30.3.31.0.00.01.0000", "Disperindag", "ditolak"),
            OpenOpd("36.02", "3.26.0.00.0.00.01.0000", "Dinas Pariwisata", "belum menyampaikan"),
        ],
        [("http://127.0.0.1/x.xlsx", "server sumber sedang bermasalah (HTTP 503)")],
    )


def test_completion_message_names_every_loose_end() -> None:
    summary = RunSummary("r1", 2024, 3, ["36.02"], files_new=2, accepted=1, rejected=1)
    message = completion_message(summary, outcome(), {"id": "r1", "nama": "run", "url": "http://ui/r1"})
    assert message["judul"] == (
        "Rekap KE Kabupaten Lebak (36.02) TA 2024 TW III selesai dengan catatan: 1 berkas ditolak, "
        "1 OPD laporannya ditolak, 1 OPD belum menyampaikan, 1 berkas gagal diambil dari sumber."
    )
    assert message["status"] == "selesai-dengan-catatan"
    text = message["text"]
    assert "Berkas DITOLAK: Lap Disperindag.xlsx (Disperindag, TW III): 1 kesalahan. melebihi pagu" in text
    assert "OPD belum menyampaikan TW III: Dinas Pariwisata (3.26.0.00.0.00.01.0000)" in text
    assert "Berkas GAGAL diambil dari sumber: http://127.0.0.1/x.xlsx" in text
    assert "Rincian run: http://ui/r1" in text
    assert [o["nama_skpd"] for o in message["opd_belum_menyampaikan"]] == ["Dinas Pariwisata"]
    assert message["gagal_diambil"][0]["alasan"].startswith("server sumber")


def test_failure_message() -> None:
    message = failure_message(2024, 2, "Folder sumber tidak ditemukan: /x")
    assert message["judul"] == "Rekap KE TA 2024 TW II GAGAL."
    assert message["status"] == "gagal"
    assert "Penyebab: Folder sumber tidak ditemukan: /x" in message["text"]


def test_nothing_to_chase_means_no_attention() -> None:
    assert not Outcome(2024, 1, {"36.02": "Kabupaten Lebak"}).needs_attention


def test_a_channel_that_fails_does_not_stop_the_other(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rekap.report.notify.WEBHOOK_BACKOFF_SECONDS", 0.01)
    with receivers.smtp() as mail:
        host, port = mail.url.split(":")
        config = Notification(
            webhook_url="http://127.0.0.1:9/tidak-ada",  # discard port: nobody listens
            smtp_host=host, smtp_port=int(port), smtp_starttls=False, email_to=("pengelola@pemda.go.id",),
        )  # fmt: skip
        sent = deliver(failure_message(2024, 1, "uji"), config)
        assert sent == ["email"]
        assert mail.wait()[0]["Subject"] == "Rekap KE TA 2024 TW I GAGAL."


# --- secrets ---------------------------------------------------------------------------------------


def tls_config(mail: receivers.Mail, **fields: object) -> Notification:
    host, port = mail.url.split(":")
    defaults: dict[str, object] = {
        "smtp_host": host, "smtp_port": int(port), "email_to": ("pengelola@pemda.go.id",),
        "smtp_user": "rekap", "smtp_password": "sandi-rahasia",
    }  # fmt: skip
    return Notification(**{**defaults, **fields})


def test_starttls_refuses_a_certificate_nobody_vouches_for(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    certificate = receivers.self_signed(tmp_path)
    with receivers.smtp(certificate) as mail, caplog.at_level(logging.ERROR):
        sent = deliver(failure_message(2024, 1, "uji"), tls_config(mail))
        assert sent == []
        (session,) = mail.ended()
        assert session["handshake"] == "ditolak" and session["login"] is None
        assert mail.messages == []
    assert "CERTIFICATE_VERIFY_FAILED" in caplog.text
    assert "sandi-rahasia" not in caplog.text


def test_starttls_with_the_ca_setting_sends_and_logs_in_over_tls(tmp_path: Path) -> None:
    certificate = receivers.self_signed(tmp_path)
    with receivers.smtp(certificate) as mail:
        assert deliver(failure_message(2024, 1, "uji"), tls_config(mail, smtp_ca_file=str(certificate[0])))
        (email,) = mail.wait()
        assert email["Subject"] == "Rekap KE TA 2024 TW I GAGAL."
        (session,) = mail.ended()
        assert session["login"] == {"tls": True} and session["sent_over_tls"] == [True]


def test_a_certificate_for_another_host_is_refused(tmp_path: Path) -> None:
    certificate = receivers.self_signed(tmp_path, host="surat.pemda.go.id")
    with receivers.smtp(certificate) as mail:
        assert (
            deliver(failure_message(2024, 1, "uji"), tls_config(mail, smtp_ca_file=str(certificate[0]))) == []
        )
        assert mail.ended()[0]["handshake"] == "ditolak"


def test_no_password_without_starttls(caplog: pytest.LogCaptureFixture) -> None:
    with receivers.smtp() as mail, caplog.at_level(logging.ERROR):
        assert deliver(failure_message(2024, 1, "uji"), tls_config(mail, smtp_starttls=False)) == []
        assert mail.sessions == []  # not even connected
    assert "tanpa STARTTLS" in caplog.text


def test_a_line_break_in_an_opd_typed_name_does_not_stop_the_email() -> None:
    summary = RunSummary("r1", 2024, 3, ["36.02"], files_new=1, rejected=1)
    broken = outcome()
    broken.pemda = {"36.02": "Kabupaten\r\nLebak\nBcc: semua@contoh.id"}
    message = completion_message(summary, broken)
    with receivers.webhook() as hook, receivers.smtp() as mail:
        host, port = mail.url.split(":")
        config = Notification(
            webhook_url=hook.url, smtp_host=host, smtp_port=int(port), smtp_starttls=False,
            email_to=("pengelola@pemda.go.id",),
        )  # fmt: skip
        assert deliver(message, config) == ["webhook", "email"]
        (email,) = mail.wait()
        assert email["Subject"].startswith("Rekap KE Kabupaten Lebak Bcc: semua@contoh.id (36.02) TA 2024")
        assert email["Bcc"] is None and email["To"] == "pengelola@pemda.go.id"
        assert hook.wait()[0]["judul"] == message["judul"]  # the data keeps what was typed


def test_a_webhook_error_does_not_log_the_webhook_url(caplog: pytest.LogCaptureFixture) -> None:
    with receivers.webhook(status=404) as hook, caplog.at_level(logging.ERROR):
        secret_url = f"{hook.url}/T0123/B0456/token-rahasia"
        assert deliver(failure_message(2024, 1, "uji"), Notification(webhook_url=secret_url)) == []
    assert "webhook menjawab HTTP 404" in caplog.text
    assert "token-rahasia" not in caplog.text
    assert "token-rahasia" not in repr(Notification(webhook_url=secret_url))


def test_credentials_in_a_message_are_redacted_before_it_goes_out() -> None:
    summary = RunSummary("r1", 2024, 3, ["36.02"], files_new=1, accepted=1)
    leaky = outcome()
    leaky.pull_failures = [("https://budi:sandi@berkas.pemda.go.id/a.xlsx?token=abc", "HTTP 503")]
    message = completion_message(summary, leaky)
    with receivers.webhook() as hook:
        assert deliver(message, Notification(webhook_url=hook.url)) == ["webhook"]
        (got,) = hook.wait()
    assert "sandi" not in json.dumps(got) and "abc" not in json.dumps(got)
    assert got["gagal_diambil"][0]["berkas"] == "https://***@berkas.pemda.go.id/a.xlsx?token=***"


# --- through real flow runs ----------------------------------------------------------------------


@pytest.fixture
def channels(monkeypatch: pytest.MonkeyPatch):
    """A webhook and an SMTP server on 127.0.0.1, named in the environment as an operator would."""
    with receivers.webhook() as hook, receivers.smtp() as mail:
        host, port = mail.url.split(":")
        monkeypatch.setenv("REKAP_WEBHOOK_URL", hook.url)
        monkeypatch.setenv("REKAP_SMTP_HOST", host)
        monkeypatch.setenv("REKAP_SMTP_PORT", port)
        monkeypatch.setenv("REKAP_SMTP_STARTTLS", "false")
        monkeypatch.setenv("REKAP_NOTIFY_EMAIL", "pengelola@pemda.go.id, bappeda@pemda.go.id")
        yield hook, mail


def test_run_with_a_rejected_file_and_missing_opds_notifies(prefect_api, channels, tmp_path: Path) -> None:
    from flows.triwulan import rekap_triwulan

    hook, mail = channels
    source = tmp_path / "berkas"
    source.mkdir()
    for name in (DEFECTIVE, VALID):
        shutil.copy(SAMPLE_DIR / "tw3" / name, source / name)
    summary = rekap_triwulan(
        source=str(source), tahun=2024, triwulan=3, pemda="36.02",
        daftar_opd=str(SAMPLE_DIR / "daftar_opd.csv"),
        warehouse=str(tmp_path / "gudang.duckdb"), out=str(tmp_path / "laporan"),
    )  # fmt: skip
    assert (summary.accepted, summary.rejected) == (1, 1)

    (message,) = hook.wait()
    assert message["status"] == "selesai-dengan-catatan"
    assert message["pemda"] == {"36.02": "Kabupaten Lebak"}
    (ditolak,) = message["berkas_ditolak"]
    assert ditolak["nama_berkas"] == DEFECTIVE
    assert ditolak["nama_skpd"] == "Dinas Perindustrian dan Perdagangan"
    assert "pagu" in ditolak["kesalahan_utama"].lower()
    assert [o["nama_skpd"] for o in message["opd_ditolak"]] == ["Dinas Perindustrian dan Perdagangan"]
    belum = {o["kode_skpd"] for o in message["opd_belum_menyampaikan"]}
    assert (
        len(belum) == 16 and "1.06.0.00.0.00.01.0000" not in belum
    )  # 18 expected, Dinsos in, Disperindag out
    assert message["text"].startswith(
        "Rekap KE Kabupaten Lebak (36.02) TA 2024 TW III selesai dengan catatan"
    )
    assert message["run"]["id"] == summary.run_id

    (email,) = mail.wait()
    assert email["To"] == "pengelola@pemda.go.id, bappeda@pemda.go.id"
    assert email["Subject"] == message["judul"]
    assert f"Berkas DITOLAK: {DEFECTIVE}" in email.get_content()


def test_failed_run_notifies_with_its_cause(prefect_api, channels, tmp_path: Path) -> None:
    from flows.triwulan import rekap_triwulan

    hook, mail = channels
    with pytest.raises(RunError):
        rekap_triwulan(
            source=str(tmp_path / "tidak-ada"), tahun=2024, triwulan=2, pemda="36.02",
            warehouse=str(tmp_path / "gudang.duckdb"), out=str(tmp_path / "laporan"),
        )  # fmt: skip
    (message,) = hook.wait()
    assert message["status"] == "gagal"
    assert message["judul"] == "Rekap KE TA 2024 TW II GAGAL."
    assert message["penyebab"] == f"Folder sumber tidak ditemukan: {tmp_path / 'tidak-ada'}"
    (email,) = mail.wait()
    assert "Penyebab: Folder sumber tidak ditemukan" in email.get_content()
