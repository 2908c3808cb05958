"""How a run uses the machine, out of the stages: files read and validated in worker processes a file may
bring down, reports written in parallel, the writer's working copy made ahead, and the start of `rekap run`
(a temporary Prefect server).

The flow, its tasks and the command use it through these names only:

- `quarter(warehouse)`: around a quarter's steps; yields a `Quarter` whose `working_copy` the load takes.
- `batches(incoming, size)`, `check_files(...)`: the read-and-validate step, split and run in workers.
- `write_reports(...)`: every pemda's report and letters, those whose inputs changed.
- `start_readers()`: the readers' fork server started ahead, to import GX while the run starts.
- `command()`: the start and the end of `rekap run` or `rekap demo` typed at a prompt
  (`rekap.runtime.command`).

This module imports nothing heavy itself: the command imports it before Prefect, pandas or GX.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future

    from rekap.intake.raw import Incoming
    from rekap.runtime.checking import Batch
    from rekap.runtime.command import Command
    from rekap.runtime.reports import Written
    from rekap.validation.batch import Checked
    from rekap.warehouse.writer import WorkingCopy


@dataclass(frozen=True)
class Quarter:
    """What a quarter's run gets from the runtime: the writer's working copy being made meanwhile."""

    working_copy: Future[WorkingCopy]


@contextlib.contextmanager
def quarter(warehouse: Path) -> Iterator[Quarter]:
    """Around one quarter's steps: the readers' fork server started, and the writer's working copy made in
    the background while files are pulled, read and validated (`ahead`), for the load to take up."""
    from rekap.runtime.ahead import copy_ahead

    start_readers()
    with copy_ahead(warehouse) as working_copy:
        yield Quarter(working_copy)


def batches(incoming: list[Incoming], size: int | None) -> list[Batch]:
    """The read-and-validate tasks of a run (`checking.batches`)."""
    from rekap.runtime.checking import batches as cut

    return cut(incoming, size)


def check_files(
    incoming: list[Incoming], tahun: int, triwulan: int, pemda: str | None, workers: int | None = None
) -> Checked:
    """Read and validate a run's files in worker processes a file may bring down (`checking`)."""
    from rekap.runtime.checking import check_files as check

    return check(incoming, tahun, triwulan, pemda, workers)


def write_reports(
    warehouse: Path, pemda: list[str], tahun: int, triwulan: int, out_dir: Path, run_id: str | None = None
) -> Iterator[Written]:
    """Every pemda's report files and letters, written where their inputs changed, yielded in order
    (`reports`)."""
    from rekap.runtime.reports import write_reports as write

    return write(warehouse, pemda, tahun, triwulan, out_dir, run_id)


def start_readers() -> None:
    """Start the fork server of the read-and-validate workers now (`isolation.start`): it imports GX and
    builds the suites while the caller does other work."""
    from rekap.runtime import isolation

    isolation.start()


def command() -> Command:
    """The start of a run typed at a prompt, before anything else is imported: its end, the temporary server
    started later by `Command.start_server` (`command`)."""
    from rekap.runtime.command import Command

    return Command.start()
