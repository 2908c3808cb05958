"""The writer's working copy made in the background while a run reads and validates its files."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from rekap.warehouse.writer import WorkingCopy, make_working_copy


@contextlib.contextmanager
def copy_ahead(published: Path) -> Iterator[Future[WorkingCopy]]:
    """Start making the writer's working copy of `published` in a background thread; the block hands the
    future to `rekap.warehouse.writer.writing(published, ahead=...)`, which takes the copy up if the
    published file is still the one copied (else copies again, under the writer's lock). When the block
    ends, a copy not taken up (the run stopped before loading) is discarded."""
    with ThreadPoolExecutor(1, thread_name_prefix="rekap-salinan") as pool:
        future = pool.submit(make_working_copy, published)
        try:
            yield future
        finally:
            with contextlib.suppress(Exception):  # a copy that failed was never made
                copy = future.result()
                if not copy.taken:
                    copy.discard()
