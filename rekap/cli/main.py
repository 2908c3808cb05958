"""The `rekap` command for data stewards. Messages are in Bahasa Indonesia."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from rekap.cli import gudang, opd, run
from rekap.cli.common import UsageError

if TYPE_CHECKING:
    from rekap.runtime.command import Command

# Nothing phones home, whatever the machine's Prefect profile says.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

# The subcommands in the order of `rekap --help`: the function that adds each one's options.
PARSERS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    run.add_demo,
    run.add_run,
    gudang.add_asal,
    gudang.add_ekspor,
    opd.add_periksa,
    gudang.add_sasaran,
    gudang.add_dasbor,
    opd.add_template,
)
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "asal": gudang.asal,
    "ekspor": gudang.ekspor,
    "periksa": opd.periksa,
    "template": opd.template,
    "sasaran": gudang.sasaran,
    "dasbor": gudang.dasbor,
}
RUNS = {"demo": run.demo, "run": run.run}  # the subcommands that run a quarter through Prefect


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rekap",
        description="Rekap realisasi anggaran penghapusan kemiskinan ekstrem (KE) per triwulan.",
    )
    sub = parser.add_subparsers(dest="perintah", required=True, metavar="PERINTAH")
    for add in PARSERS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `rekap` console script (`argv` None: the command line)."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader of the output has gone (`rekap asal ... | head`): the rest is not wanted. Python
        # would still complain about the unflushed output when it exits: point it at nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    if argv is not None or args.perintah not in RUNS:
        return _command(args)
    # A run typed at a prompt: the runtime starts what it needs before anything else is imported: the
    # command's end, then the readers (they import GX on the other core meanwhile), then a server.
    from rekap import runtime

    started = runtime.command()
    runtime.start_readers()
    if args.perintah == "run":
        try:
            run.check_run_args(args)  # before a server is started for nothing
        except UsageError as exc:
            print(f"rekap: {exc}", file=sys.stderr)
            return 2
    started.start_server()
    code = _command(args, started)
    started.ended(code)
    return code


def _command(args: argparse.Namespace, started: Command | None = None) -> int:
    try:
        if args.perintah in RUNS:
            return RUNS[args.perintah](args, started)
        return COMMANDS[args.perintah](args)
    except UsageError as exc:
        print(f"rekap: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
