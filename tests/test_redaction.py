"""One redaction for everything shown: credentials and query values out of every URL in a text, given
secrets replaced, wherever they sit in a message."""

from __future__ import annotations

import pytest

from rekap.intake.redaction import redact, redact_all, without_control_characters


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("https://budi:sandi@berkas.go.id/ke/a.xlsx", "https://***@berkas.go.id/ke/a.xlsx"),
        ("https://token@berkas.go.id/", "https://***@berkas.go.id/"),
        ("https://u:p%40ss@h/x", "https://***@h/x"),
        ("https://u:p@ss@h/x", "https://***@h/x"),  # an unencoded @ in the password
        ("https://h/a.xlsx?token=abc&id=7&flag", "https://h/a.xlsx?token=***&id=***&***"),
        ("s3://b/k.xlsx?X-Amz-Signature=abc", "s3://b/k.xlsx?X-Amz-Signature=***"),
        ("https://h/a.xlsx#bagian", "https://h/a.xlsx#bagian"),
        ("/srv/berkas/2024/a.xlsx", "/srv/berkas/2024/a.xlsx"),
        ("http://[::1", "http://***"),
        # inside the messages of the HTTP libraries
        (
            "503, message='Service Unavailable', url='http://u:p@h:8080/a.xlsx?t=1'",
            "503, message='Service Unavailable', url='http://***@h:8080/a.xlsx?t=***'",
        ),
        ("Cannot connect to URL('https://u:p@h/') gagal", "Cannot connect to URL('https://***@h/') gagal"),
        ("lihat <https://u:p@h/x> dan https://a:b@g/y.", "lihat <https://***@h/x> dan https://***@g/y."),
    ],
)
def test_urls_are_redacted_in_any_text(text: str, shown: str) -> None:
    assert redact(text) == shown
    assert redact(shown) == shown  # redacting twice changes nothing


def test_given_secrets_are_replaced_longest_first() -> None:
    hook = "https://chat.contoh.id/hooks/T01/B02/abcdef"
    assert redact(f"POST {hook} gagal: abcdef", hook, "abcdef", None, "") == "POST *** gagal: ***"
    assert redact(ValueError("kata sandi s3kr3t ditolak"), "s3kr3t") == "kata sandi *** ditolak"


def test_a_message_is_redacted_throughout() -> None:
    message = {
        "text": "Berkas GAGAL: https://u:p@h/a.xlsx",
        "gagal_diambil": [{"berkas": "https://h/a.xlsx?token=t0k3n", "alasan": "HTTP 503"}],
        "tahun": 2024,
        "pasangan": ("rahasia", None),
    }
    assert redact_all(message, ["rahasia"]) == {
        "text": "Berkas GAGAL: https://***@h/a.xlsx",
        "gagal_diambil": [{"berkas": "https://h/a.xlsx?token=***", "alasan": "HTTP 503"}],
        "tahun": 2024,
        "pasangan": ("***", None),
    }


def test_one_line() -> None:
    assert without_control_characters("Kabupaten\r\nLebak\tBcc: x\x00 ") == "Kabupaten Lebak Bcc: x"
