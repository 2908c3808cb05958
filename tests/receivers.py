"""Local stand-ins for where notifications go: a webhook and an SMTP server, each a thread on 127.0.0.1
that records what it receives."""

from __future__ import annotations

import json
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
def webhook() -> Iterator[Received]:
    """An HTTP server recording every JSON body POSTed to it."""
    received = Received("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.messages.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    with _serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as port:
        received.url = f"http://127.0.0.1:{port}/notifikasi"
        yield received


@contextmanager
def smtp() -> Iterator[Received]:
    """A minimal SMTP server (no TLS, no login) recording every message it is given."""
    received = Received("")

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self) -> None:
            self.reply("220 localhost siap")
            data: list[bytes] | None = None
            for raw in self.rfile:
                if data is not None:
                    if raw.rstrip(b"\r\n") == b".":
                        mail = message_from_bytes(b"".join(data), policy=policy.default)
                        assert isinstance(mail, EmailMessage)
                        received.messages.append(mail)
                        data = None
                        self.reply("250 diterima")
                    else:
                        data.append(raw[1:] if raw.startswith(b"..") else raw)
                    continue
                command = raw.strip().upper()
                if command.startswith(b"EHLO"):
                    self.reply("250 localhost")
                elif command == b"DATA":
                    data = []
                    self.reply("354 lanjut")
                elif command == b"QUIT":
                    self.reply("221 sampai jumpa")
                    return
                else:  # HELO, MAIL, RCPT, RSET, NOOP
                    self.reply("250 OK")

    with _serving(socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)) as port:
        received.url = f"127.0.0.1:{port}"
        yield received


@contextmanager
def _serving(server: socketserver.BaseServer) -> Iterator[int]:
    server.daemon_threads = True  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
