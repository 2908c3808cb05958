"""The imported libraries kept out of the garbage collector's full passes for a run's duration."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_frozen_runs = 0


_frozen_lock = threading.Lock()


@contextlib.contextmanager
def imports_frozen() -> Iterator[None]:
    """Keep what is alive when a run starts (mostly the imported Prefect, GX, pandas and DuckDB: some
    350,000 objects) out of the garbage collector's full passes until the run ends (`gc.freeze`). A full
    pass over them costs ~0.1 s, and a run's own allocations trigger one: 12 % of a one-file rerun. Forked
    workers then also leave those objects' pages shared. Nested and concurrent runs freeze once; the last
    one out unfreezes, so nothing frozen outlives the runs."""
    global _frozen_runs
    with _frozen_lock:
        if _frozen_runs == 0:
            gc.freeze()
        _frozen_runs += 1
    try:
        yield
    finally:
        with _frozen_lock:
            _frozen_runs -= 1
            if _frozen_runs == 0:
                gc.unfreeze()
