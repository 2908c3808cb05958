"""What the tests measure of the processes they start."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import psutil


@contextmanager
def peak_memory_of_descendants() -> Iterator[list[int]]:
    """The largest resident size (bytes) any process below this one reaches meanwhile, sampled every
    20 ms (the readers are children of the fork server, not of this process: RUSAGE_CHILDREN misses them)."""
    peak, done = [0], threading.Event()

    def sample() -> None:
        me = psutil.Process()
        while not done.wait(0.02):
            for child in me.children(recursive=True):
                with suppress(psutil.Error):
                    peak[0] = max(peak[0], child.memory_info().rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()
