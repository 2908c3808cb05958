"""A run's files read and validated in worker processes: batches cut to the cores, each checked by
`rekap.validation.batch.check_batch` where a file may bring its worker down (`isolation`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from rekap.intake.raw import Incoming
from rekap.runtime.isolation import check_isolated
from rekap.settings import Limits, worker_count
from rekap.validation.batch import Checked, check_batch, merge_checked, unfinished
from rekap.whole import Whole

# From this many files a run is read and validated in parallel processes (below, one process is faster
# than starting a pool).
PARALLEL_FROM = 200


@dataclass(frozen=True)
class Batch:
    """One read-and-validate task's files, and the processes it may use (None: every core)."""

    files: Sequence[Incoming]
    workers: int | None = None

    def __post_init__(self) -> None:
        # A task's parameter: taken whole by Prefect, not walked (`rekap.whole`).
        object.__setattr__(self, "files", Whole(self.files))


def batches(incoming: list[Incoming], size: int | None) -> list[Batch]:
    """The run's files as read-and-validate tasks: one task of all of them on every core when `size` is
    None, else consecutive batches of at most `size` files, one process each (a Dask runner spreads the
    tasks over its workers). Never empty, so that a run with no new file still goes through every step."""
    if not size:
        return [Batch(list(incoming))]
    return [Batch(incoming[i : i + size], workers=1) for i in range(0, len(incoming), size)] or [Batch([], 1)]


def check_files(
    incoming: list[Incoming],
    tahun: int,
    triwulan: int,
    pemda: str | None,
    workers: int | None = None,
    parallel_from: int = PARALLEL_FROM,
) -> Checked:
    """Read and validate the pulled files of a run in worker processes that a file may bring down
    (`isolation`): one batch when they are few, else batches of whole files on `workers` processes
    (default: every core), each reading and validating its batch, so that a file's raw rows never leave
    the process that read them (at national scale, shipping them to a second pool cost more than reading
    them). Every rule looks at one row or one file, so the batches together find exactly what one pass
    finds; `merge_checked` puts them back in the order of one pass. A file whose reading or validation
    did not finish within its bounds is rejected with rule F14."""
    limits = Limits.from_env()
    workers = worker_count(workers)
    check = partial(check_batch, tahun=tahun, triwulan=triwulan, pemda=pemda, limits=limits)
    if not incoming:
        return check([])
    # Each batch pays GX's fixed cost of a suite run (about a second); two batches per worker even out
    # their running times, but no batch under about 2,000 files.
    count = (
        1
        if len(incoming) < parallel_from or workers == 1
        else max(workers, min(workers * 2, len(incoming) // 2000))
    )
    outcome = check_isolated(incoming, _by_size(incoming, count), check, limits)
    parts = [checked for _, checked in sorted(outcome.parts, key=lambda part: min(part[0]))]
    if outcome.failures:
        if len(incoming) > 1 and len(outcome.failures) == len(incoming):
            # Every file failed: that is no file's doing but a fault of the program or the machine.
            raise RuntimeError(f"Semua berkas gagal dibaca: {outcome.failures[0].reason}")
        items = [incoming[f.index] for f in outcome.failures]
        parts.append(unfinished(items, [f.reason for f in outcome.failures], tahun, triwulan, pemda))
    return merge_checked(parts)


def _by_size(incoming: list[Incoming], count: int) -> list[list[int]]:
    """`count` consecutive batches (indices into `incoming`) of about the same number of bytes (a
    workbook of 40 sub-kegiatan takes longer than a CSV of 5), so that the workers finish together."""
    sizes = [item.raw_path.stat().st_size for item in incoming]
    share, cut, batch, filled = sum(sizes) / count, [], [], 0
    for i, size in enumerate(sizes):
        batch.append(i)
        filled += size
        if filled >= share * (len(cut) + 1) and len(cut) < count - 1:
            cut.append(batch)
            batch = []
    return [*cut, batch] if batch else cut
