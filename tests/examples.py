"""The shell examples of the README and the guides, as the tests that run them read them."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from rekap.settings import REPO, SETTINGS

FENCE = re.compile(r"^( *)```(\w*)\s*$")
DOCS = ("README.md", "docs/panduan.md", "docs/operasi.md")
BIN = Path(sys.executable).parent
MARK = re.compile(r"<!-- uji: (server-contoh|server|pasang|dasbor) -->")


@dataclass
class Block:
    """A fenced shell example: its commands (continuation lines joined) and its mark, if any."""

    doc: str
    line: int
    commands: list[str]
    mark: str | None


def shell_blocks(doc: str) -> list[Block]:
    """The ```bash blocks of a document, in order, with the mark on the line before each (if any)."""
    lines = (REPO / doc).read_text(encoding="utf-8").splitlines()
    blocks, i = [], 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence or fence.group(2) != "bash":
            i += 1
            continue
        indent, start = len(fence.group(1)), i
        body = []
        i += 1
        while not FENCE.match(lines[i]):
            body.append(lines[i][indent:])
            i += 1
        previous = next((ln for ln in reversed(lines[:start]) if ln.strip()), "")
        mark = MARK.search(previous)
        blocks.append(Block(doc, start + 1, _commands(body), mark.group(1) if mark else None))
        i += 1
    return blocks


def _commands(body: list[str]) -> list[str]:
    commands, current = [], ""
    for line in body:
        current += line.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        if current.strip():
            commands.append(current.strip())
        current = ""
    return commands


def environment(home: Path) -> dict[str, str]:
    """A steward's shell on a fresh machine: the project's commands on PATH, no Prefect server configured
    (each run starts a temporary one), nothing phoning home."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "REKAP_")) and k not in SETTINGS
    }
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PREFECT_HOME=str(home),
        DO_NOT_TRACK="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        GX_ANALYTICS_ENABLED="false",
    )
    return env
