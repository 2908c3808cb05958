"""Local stand-ins for where notifications go: a webhook and an SMTP server (STARTTLS with a self-signed
certificate when given one), each a thread on 127.0.0.1 that records what it receives."""

from __future__ import annotations

import datetime as dt
import json
import socketserver
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Received:
    """What a receiver got, in arrival order."""

    url: str
    messages: list[Any] = field(default_factory=list)

    def wait(self, count: int = 1, timeout: float = 30) -> list[Any]:
        """The messages once at least `count` have arrived (or what there is after `timeout`)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


@contextmanager
def webhook(status: int = 204) -> Iterator[Received]:
    """An HTTP server recording every JSON body POSTed to it, and answering `status`."""
    received = Received("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.messages.append(json.loads(body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as port:
        received.url = f"http://127.0.0.1:{port}/notifikasi"
        yield received


@dataclass
class Mail(Received):
    """What an SMTP receiver got: the messages, and for each session whether it was encrypted when the
    client logged in and when it sent (`sessions`: one dict per connection)."""

    sessions: list[dict[str, Any]] = field(default_factory=list)

    def ended(self, timeout: float = 30) -> list[dict[str, Any]]:
        """The sessions once the server is done with each (the client may be gone before)."""
        deadline = time.monotonic() + timeout
        while not all(s.get("ended") for s in self.sessions) and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.sessions


@contextmanager
def smtp(certificate: tuple[Path, Path] | None = None) -> Iterator[Mail]:
    """A minimal SMTP server recording every message it is given; with a (certificate, key) pair it
    offers STARTTLS with that certificate, and it accepts any login (AUTH PLAIN or LOGIN)."""
    received = Mail("")
    tls = None
    if certificate:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(*certificate)

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self) -> None:
            session: dict[str, Any] = {"tls": False, "login": None, "sent_over_tls": []}
            received.sessions.append(session)
            try:
                self.converse(session)
            finally:
                session["ended"] = True

        def converse(self, session: dict[str, Any]) -> None:
            self.reply("220 localhost siap")
            data: list[bytes] | None = None
            while raw := self.rfile.readline():
                if data is not None:
                    if raw.rstrip(b"\r\n") == b".":
                        mail = message_from_bytes(b"".join(data), policy=policy.default)
                        assert isinstance(mail, EmailMessage)
                        received.messages.append(mail)
                        session["sent_over_tls"].append(session["tls"])
                        data = None
                        self.reply("250 diterima")
                    else:
                        data.append(raw[1:] if raw.startswith(b"..") else raw)
                    continue
                command = raw.strip().upper()
                if command.startswith(b"EHLO"):
                    offers = ["AUTH PLAIN LOGIN"] + (["STARTTLS"] if tls and not session["tls"] else [])
                    for line in ["localhost", *offers[:-1]]:
                        self.reply(f"250-{line}")
                    self.reply(f"250 {offers[-1]}")
                elif command == b"STARTTLS" and tls:
                    self.reply("220 mulai TLS")
                    try:
                        self.request = tls.wrap_socket(self.request, server_side=True)
                    except (ssl.SSLError, OSError):  # the client refused our certificate
                        session["handshake"] = "ditolak"
                        return
                    self.rfile = self.request.makefile("rb")
                    self.wfile = self.request.makefile("wb", buffering=0)
                    session["tls"] = True
                elif command.startswith(b"AUTH"):
                    session["login"] = {"tls": session["tls"]}
                    self.reply("235 masuk")
                elif command == b"DATA":
                    data = []
                    self.reply("354 lanjut")
                elif command == b"QUIT":
                    self.reply("221 sampai jumpa")
                    return
                else:  # HELO, MAIL, RCPT, RSET, NOOP
                    self.reply("250 OK")

    with serving(socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)) as port:
        received.url = f"127.0.0.1:{port}"
        yield received


def self_signed(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A self-signed certificate for `host` (an address or a name) and its key, as PEM files in
    `folder`: (certificate, key). The certificate is its own authority."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    try:
        alt: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        alt = x509.DNSName(host)
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([alt]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "sertifikat.pem", folder / "kunci.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


@contextmanager
def serving(server: socketserver.BaseServer) -> Iterator[int]:
    """Run `server` in a thread while the block runs; yield its port."""
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
