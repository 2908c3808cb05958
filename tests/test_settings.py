"""Settings come from one place: the environment first, then Prefect Variables and Secret blocks when a
Prefect API is at hand, else defaults; and the operator guide names every one of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rekap import settings
from rekap.settings import SETTINGS, Notification, RemoteSource, Retry, setting

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def no_settings_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)


def test_environment_first_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert setting("REKAP_PEMDA") is None
    assert setting("REKAP_PEMDA", "36.02") == "36.02"
    monkeypatch.setenv("REKAP_PEMDA", "36.01")
    assert setting("REKAP_PEMDA", "36.02") == "36.01"
    monkeypatch.setenv("REKAP_WAREHOUSE", "/srv/gudang/ke.duckdb")
    assert settings.default_warehouse() == Path("/srv/gudang/ke.duckdb")
    assert settings.raw_dir_for(settings.default_warehouse()) == Path("/srv/gudang/mentah")


def test_outside_a_run_prefect_is_not_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Asking would start a temporary Prefect server just to answer."""
    monkeypatch.delenv("PREFECT_API_URL", raising=False)

    def ask(_: object) -> str:
        raise AssertionError("Prefect asked outside a run")

    monkeypatch.setattr(settings, "_from_prefect", ask)
    assert settings.default_source() == "submissions"


def test_names_in_prefect() -> None:
    assert SETTINGS["REKAP_SOURCE"].variable == "rekap_source"
    assert SETTINGS["REKAP_WEBHOOK_URL"].block == "rekap-webhook-url"
    assert {name for name, s in SETTINGS.items() if s.secret} == {
        "REKAP_S3_ACCESS_KEY_ID",
        "REKAP_S3_SECRET_ACCESS_KEY",
        "REKAP_WEBHOOK_URL",
        "REKAP_SMTP_PASSWORD",
        "REKAP_HTTP_AUTH_HEADER",
        "REKAP_DASBOR_TOKEN",
    }


def test_typed_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Notification.from_settings() == Notification()
    assert Retry.from_settings() == Retry()
    assert RemoteSource.from_settings() == RemoteSource()
    monkeypatch.setenv("REKAP_NOTIFY_EMAIL", " a@pemda.go.id,, b@pemda.go.id ")
    monkeypatch.setenv("REKAP_SMTP_STARTTLS", "False")
    monkeypatch.setenv("REKAP_SMTP_PORT", "25")
    monkeypatch.setenv("REKAP_PULL_ATTEMPTS", "2")
    notification = Notification.from_settings()
    assert notification.email_to == ("a@pemda.go.id", "b@pemda.go.id")
    assert (notification.smtp_starttls, notification.smtp_port) == (False, 25)
    assert Retry.from_settings().attempts == 2
    monkeypatch.setenv("REKAP_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("REKAP_S3_REGION", "ap-southeast-3")
    monkeypatch.setenv("REKAP_S3_ACCESS_KEY_ID", "kunci")
    monkeypatch.setenv("REKAP_S3_SECRET_ACCESS_KEY", "rahasia")
    assert settings.s3_storage_options() == {
        "key": "kunci",
        "secret": "rahasia",
        "endpoint_url": "http://127.0.0.1:9000",
        "client_kwargs": {"region_name": "ap-southeast-3"},
    }


def test_remote_source_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REKAP_MAX_FILE_BYTES", "1000")
    monkeypatch.setenv("REKAP_PULL_DEADLINE_SECONDS", "90.5")
    monkeypatch.setenv("REKAP_PULL_MAX_PAGES", "7")
    monkeypatch.setenv("REKAP_PULL_MAX_FILES", "8")
    monkeypatch.setenv("REKAP_PULL_MAX_DEPTH", "2")
    monkeypatch.setenv("REKAP_HTTP_ALLOW", " berkas.pemda.local, 10.20.0.0/16 ,,")
    monkeypatch.setenv("REKAP_HTTP_AUTH_HEADER", "Authorization: Bearer t0k3n")
    monkeypatch.setenv("REKAP_SMTP_CA_FILE", "/etc/rekap/ca.pem")
    remote = RemoteSource.from_settings()
    assert remote == RemoteSource(
        1000, 90.5, 7, 8, 2, ("berkas.pemda.local", "10.20.0.0/16"), remote.auth_header
    )
    assert remote.headers() == {"Authorization": "Bearer t0k3n"}
    assert "t0k3n" not in repr(remote)  # a secret is never in a repr (a log line, a Prefect parameter)
    assert Notification.from_settings().smtp_ca_file == "/etc/rekap/ca.pem"
    assert "rahasia" not in repr(Notification(smtp_password="rahasia", webhook_url="https://h/rahasia"))
    for broken in ("Bearer t0k3n", ": t0k3n", "X-Token: a\r\nX-Lain: b"):
        with pytest.raises(ValueError, match="Nama: nilai") as caught:
            RemoteSource(auth_header=broken).headers()
        assert "t0k3n" not in str(caught.value)


def test_inside_a_run_variables_and_secret_blocks_are_read(
    prefect_api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect import flow
    from prefect.blocks.system import Secret
    from prefect.variables import Variable

    @flow
    def read() -> dict[str, str | None]:
        return {name: setting(name) for name in ("REKAP_SOURCE", "REKAP_OUT", "REKAP_S3_SECRET_ACCESS_KEY")}

    Variable.set("rekap_source", "s3://berkas-ke/2024", overwrite=True)
    Variable.set("rekap_s3_secret_access_key", "bukan-di-variable", overwrite=True)
    Secret(value="rahasia-dari-blok").save("rekap-s3-secret-access-key", overwrite=True)
    try:
        assert read() == {
            "REKAP_SOURCE": "s3://berkas-ke/2024",
            "REKAP_OUT": None,
            "REKAP_S3_SECRET_ACCESS_KEY": "rahasia-dari-blok",  # a secret comes from its block only
        }
        monkeypatch.setenv("REKAP_SOURCE", "/srv/berkas")
        assert read()["REKAP_SOURCE"] == "/srv/berkas"  # the environment wins
    finally:
        Variable.unset("rekap_source")
        Variable.unset("rekap_s3_secret_access_key")
        _delete_block("rekap-s3-secret-access-key")


def test_a_run_reads_the_variables_once_as_they_were_when_it_started(prefect_api) -> None:
    from prefect import flow
    from prefect.variables import Variable

    @flow
    def read_twice() -> tuple[str | None, str | None]:
        first = setting("REKAP_OUT")
        Variable.set("rekap_out", "/srv/laporan-baru", overwrite=True)
        return first, setting("REKAP_OUT")

    Variable.set("rekap_out", "/srv/laporan", overwrite=True)
    try:
        assert read_twice() == ("/srv/laporan", "/srv/laporan")
        assert read_twice() == ("/srv/laporan-baru", "/srv/laporan-baru")  # the next run sees the change
    finally:
        Variable.unset("rekap_out")


def _delete_block(name: str) -> None:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        client.delete_block_document(client.read_block_document_by_name(name, "secret").id)


def test_operator_guide_names_every_setting() -> None:
    guide = (REPO / "docs" / "operasi.md").read_text(encoding="utf-8")
    for name, spec in SETTINGS.items():
        assert name in guide, name
        assert (spec.block if spec.secret else spec.variable) in guide, name
    documented = set(re.findall(r"\bREKAP_[A-Z0-9_]*[A-Z0-9]\b", guide))  # REKAP_S3_* is a family
    limits = {n for n in documented if n.startswith("REKAP_MAX_")}
    assert documented - limits <= set(SETTINGS), documented - limits - set(SETTINGS)


def test_operator_guide_names_every_limit() -> None:
    """Every `REKAP_MAX_*` the code reads is in the operator's table of limits, and nothing else is."""
    code = (REPO / "rekap" / "settings.py").read_text(encoding="utf-8")
    guide = (REPO / "docs" / "operasi.md").read_text(encoding="utf-8")
    read = set(re.findall(r'"(REKAP_MAX_[A-Z_]+)"', code))
    assert len(read) >= 12
    assert read <= set(re.findall(r"\bREKAP_MAX_[A-Z_]+\b", guide)), read - set(guide.split())
