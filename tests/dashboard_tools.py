"""Tools for the dashboard's tests: the real server in a thread, a parser of the pages' tables, and a real
headless Chromium (the Debian package, as tests/test_laporan.py uses) driven over the DevTools protocol."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
import urllib.request
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import uvicorn

# --- the server ---------------------------------------------------------------------------------------


class ServerThread:
    """A uvicorn server for `app` on a free loopback port, in a thread of this process."""

    def __init__(self, app: Any):
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, name="dasbor-uji", daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the dashboard did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def get(
    url: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of one request, errors included."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


# --- the tables of a page -----------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Every `table[data-tabel]` of a page: rows of (text, exact value or None, title or None)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[tuple[int, list[tuple[str, str | None, str | None]]]]] = {}
        self.current: list | None = None
        self.cell: list[str] | None = None
        self.attrs: dict[str, str | None] = {}
        self.level = 0
        self.tiles: dict[str, str] = {}
        self._dd: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("data-tabel"):
            self.current = self.tables.setdefault(str(a.get("id") or a["data-tabel"]), [])
        elif tag == "tr" and self.current is not None and "data-tingkat" in a:
            self.level = int(a["data-tingkat"] or 0)
            self.current.append((self.level, []))
        elif tag == "td" and self.current is not None:
            self.cell, self.attrs = [], a

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.cell is not None and self.current is not None:
            text = " ".join("".join(self.cell).split())
            self.current[-1][1].append((text, self.attrs.get("data-v"), self.attrs.get("title")))
            self.cell = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def page_tables(html: str | bytes) -> dict[str, list[tuple[int, list[tuple[str, str | None, str | None]]]]]:
    """The tables of a dashboard page, by their id (`t2`, `t3`, `perkembangan`, ...)."""
    parser = _Tables()
    parser.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    return parser.tables


def same_figure(shown: str | None, text: str, cell: Any) -> bool:
    """Whether a page's cell (its exact value, else its text) is the workbook's cell."""
    if cell is None:
        return shown is None and text == ""
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float):
        return shown is not None and Decimal(shown) == Decimal(repr(cell))
    return shown is None and text == str(cell)


# --- a real browser -----------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def require_chromium() -> str:
    """The headless Chromium to run; when there is none, the test is skipped on a developer's machine and
    fails in CI (`CI=true`), where tests/run.sh installs it."""
    if CHROMIUM is None:
        missing = "headless Chromium is not installed (Debian: apt-get install chromium; tests/run.sh does)"
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    return CHROMIUM


class Chromium:
    """One headless Chromium and its one tab, driven over the DevTools protocol: navigate, evaluate, click;
    it records every request the tab makes and every error it logs."""

    def __init__(self, profile: Path):
        chromium = require_chromium()
        from websockets.sync.client import connect

        self.proc = subprocess.Popen(
            [
                chromium,
                *FLAGS,
                "--remote-allow-origins=*",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in self.proc.stderr], daemon=True).start()
        deadline = time.monotonic() + 60
        browser = None
        while browser is None:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty as exc:
                self.proc.kill()
                raise RuntimeError("Chromium did not open its DevTools port") from exc
            if "DevTools listening on " in line:
                browser = line.split("DevTools listening on ", 1)[1].strip()
        port = browser.split(":")[2].split("/")[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as response:
            target = next(t for t in json.load(response) if t["type"] == "page")
        self.ws = connect(target["webSocketDebuggerUrl"], max_size=None, open_timeout=30)
        self.next_id = 0
        self.events: list[dict] = []
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")

    def call(self, method: str, **params: Any) -> dict:
        """Send one command and return its result (events meanwhile are kept)."""
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=60))
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, since: int, timeout: float = 60) -> None:
        """Wait until `event` has come after the first `since` events."""
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self.events[since:]):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(event)
            try:
                self.events.append(json.loads(self.ws.recv(timeout=left)))
            except TimeoutError:
                continue

    def goto(self, url: str) -> None:
        """Open `url` and wait for its load event."""
        since = len(self.events)
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired", since)

    def js(self, expression: str) -> Any:
        """Evaluate `expression` in the page; its value."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click_and_wait(self, selector: str) -> None:
        """Click the element `selector` names (a link) and wait for the page it opens."""
        since = len(self.events)
        self.js(f"document.querySelector({json.dumps(selector)}).click()")
        self.wait_for("Page.loadEventFired", since)

    def requests(self) -> list[str]:
        """Every URL the tab has requested."""
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def errors(self) -> list[str]:
        """Every error the tab logged (a CSP violation, a script error)."""
        logged = [e["params"]["entry"] for e in self.events if e.get("method") == "Log.entryAdded"]
        found = [entry["text"] for entry in logged if entry["level"] == "error"]
        found += [str(e["params"]) for e in self.events if e.get("method") == "Runtime.exceptionThrown"]
        return found

    def close(self) -> None:
        """Close the tab's connection and stop the browser."""
        try:
            self.ws.close()
        finally:
            self.proc.kill()
            self.proc.wait(timeout=30)
