"""What the `rekap` subcommands share: the one-line usage error and path options with a default."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

DEMO_OUT = Path("keluaran/demo")  # where `rekap demo` writes, and where `rekap dasbor` looks next


class UsageError(Exception):
    """Bad arguments or environment: reported in one line, exit status 2."""


class _ShownLater:
    """A default named in a help text, looked up only when the help is printed: argparse fills
    `%(bawaan)s` from the argument's attributes then. The lookup may import Prefect and ask its server for
    a Variable (rekap.settings), seconds that every command would spend before it starts otherwise."""

    def __init__(self, lookup: Callable[[], Path]) -> None:
        self._lookup = lookup

    def __str__(self) -> str:
        return str(self._lookup())


def path_with_default(
    parser: argparse.ArgumentParser, option: str, text: str, lookup: Callable[[], Path]
) -> None:
    """A path option whose help ends with its default, e.g. "(bawaan: keluaran/gudang-ke.duckdb)"."""
    action = parser.add_argument(option, type=Path, help=f"{text} (bawaan: %(bawaan)s)")
    setattr(action, "bawaan", _ShownLater(lookup))  # noqa: B010 (argparse reads it as %(bawaan)s)
