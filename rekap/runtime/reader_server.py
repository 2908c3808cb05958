"""Imported by the fork server of `rekap.runtime.isolation` (and by nothing else): it makes ready, once, what
every reader forked from it needs, so that a worker starts with Great Expectations imported and the
suites built instead of paying seconds for them.

Modules that Great Expectations imports with itself and our validation never uses are not run here:
- GX's own dependencies scipy.stats and altair (for expectations we do not have) are loaded lazily, with the
  standard library's LazyLoader: a module is made at once but run only at the first use of one of its
  names, so a use, if any, finds the same module, imported then. LazyLoader is not thread-safe in Python
  3.11; the fork server has a single thread.
- Its optional ones that are installed for something else (SQLAlchemy for Prefect's server, boto3 and
  botocore for S3 sources) are not found: GX then runs as it does where they are not installed (they
  are optional to it), and a use of one anyway would raise ModuleNotFoundError, not pass unnoticed.
  With them, GX also imports its SQL and S3 machinery: 0.4-0.8 s of the server's 2.2-2.8 s.

The fork server ends when the command does, and then ends at once: the interpreter's teardown of GX, pandas
and the rest takes most of a second of a core, and the server holds the command's output open meanwhile,
so that whatever reads it (a pipe, `tee`, a scheduler's log) waited that long after the command ended.
"""

from __future__ import annotations

import atexit
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import threading
from typing import Any

IMPORTED_AT_FIRST_USE = ("scipy.stats", "altair")


NOT_FOUND_HERE = ("sqlalchemy", "boto3", "botocore")


class _AtFirstUse(importlib.abc.MetaPathFinder):
    """Finds the modules of IMPORTED_AT_FIRST_USE as Python would, and loads them lazily; finds none of
    the packages of NOT_FOUND_HERE."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name.partition(".")[0] in NOT_FOUND_HERE:
            raise ModuleNotFoundError(f"No module named {name!r} (rekap.runtime.reader_server)", name=name)
        if name not in IMPORTED_AT_FIRST_USE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def _warm_up() -> None:
    sys.meta_path.insert(0, _AtFirstUse())
    import tqdm

    from rekap.validation import batch  # noqa: F401  (the readers, pandas, DuckDB)
    from rekap.validation.gx import gx_validation

    # GX's progress bars (switched off, still made) would give each worker a semaphore of its own, which
    # a killed worker leaves behind for multiprocessing's resource tracker to complain about: a thread
    # lock does as well in a process that writes no progress.
    tqdm.tqdm.set_lock(threading.RLock())

    for suite in ("identitas", "realisasi"):
        gx_validation(suite)

    # Registered last, run first: the server's exit skips the teardown (the workers forked from it end
    # with os._exit already). It has nothing to flush: it writes nothing itself.
    atexit.register(os._exit, 0)


_warm_up()
