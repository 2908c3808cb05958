"""A warm worker for one `rekap run` on the command line.

Reportlab's PDF is the biggest part of the report, on the path of a small run. The command forks this
worker as it starts, once it has imported what both processes need (pandas, DuckDB, rekap.load) and
while it runs a single Python thread (a fork is only safe then; numpy's BLAS stops its own threads at a
fork and starts them again when needed): the worker imports reportlab on the machine's other core while
the command imports Prefect and pulls the files, then renders the PDF when asked. Calls are plain
functions and their arguments, pickled; a call runs in the caller's process when there is no worker (a
deployment's run, the tests) or when the worker is gone, so the result never depends on it.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import pickle
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

# What a run's calls need: the PDF's reportlab (files are read and validated in `rekap.runtime.isolation`'s
# workers, which have GX imported by their fork server).
WARM_UP = ("rekap.report.pdf",)

_current: WarmWorker | None = None


def _serve(conn: Connection, parent_end: Connection, warm_up: tuple[str, ...], hold: bool) -> None:
    """The worker: import what the calls will need (once told to go, if held), then run the calls one by
    one until told to stop."""
    parent_end.close()
    if hold and conn.recv() is None:
        os._exit(0)
    for module in warm_up:
        # A module that fails to import here fails again in the call that needs it, in its own words.
        with contextlib.suppress(Exception):
            importlib.import_module(module)
    while True:
        try:
            call = conn.recv()
        except (EOFError, OSError):
            break  # the command is gone
        if call is None:
            break
        func, args = call
        try:
            outcome: tuple[str, Any] = ("ok", func(*args))
        except BaseException as exc:  # handed to the caller, who raises it
            where = traceback.format_exc()
            exc.add_note(f"(in the warm worker of rekap run)\n{where}")
            try:
                pickle.loads(pickle.dumps(exc))
            except Exception:  # an exception that does not travel: its text does
                exc = RuntimeError(f"{type(exc).__qualname__}: {exc}\n{where}")
            outcome = ("raised", exc)
        try:
            conn.send(outcome)
        except Exception as exc:  # a result that does not pickle
            conn.send(("raised", RuntimeError(f"{func.__qualname__}: {exc!r}\n{traceback.format_exc()}")))
    os._exit(0)  # nothing of the command's own to tear down in a forked child


class Pending:
    """A call that has been started; `result()` waits for it and returns its value or raises its error."""

    def __init__(self, worker: WarmWorker | None, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self._worker, self._func, self._args = worker, func, args
        self._done = False
        self._outcome: tuple[str, Any] = ("ok", None)

    def result(self) -> Any:
        if not self._done:
            self._outcome = self._worker._collect(self) if self._worker else self._run_here()
            self._done = True
        kind, value = self._outcome
        if kind == "raised":
            raise value
        return value

    def _run_here(self) -> tuple[str, Any]:
        try:
            return ("ok", self._func(*self._args))
        except Exception as exc:
            return ("raised", exc)


class WarmWorker:
    """The forked worker process and the pipe to it. One call at a time, in the order they were started."""

    def __init__(self, warm_up: tuple[str, ...] = WARM_UP, hold: bool = False) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child_end = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child_end, self._conn, warm_up, hold), name="rekap-warm", daemon=True
        )
        self._process.start()
        child_end.close()
        self._lock = threading.Lock()
        self._waiting: Pending | None = None  # started in the worker, result not read yet
        self._gone = False
        self._held = hold

    def release(self) -> None:
        """Let a worker started on hold begin its imports (done by the first call anyway)."""
        with self._lock:
            self._release()

    def _release(self) -> None:
        if self._held and not self._gone:
            self._held = False
            try:
                self._conn.send("go")
            except (OSError, EOFError):
                self._gone = True

    def start(self, func: Callable[..., Any], *args: Any) -> Pending:
        with self._lock:
            self._release()
            self._settle()
            pending = Pending(self, func, args)
            if not self._gone:
                try:
                    self._conn.send((func, args))
                    self._waiting = pending
                except (OSError, EOFError):
                    self._gone = True
            return pending

    def _settle(self) -> None:
        """Read the result of an earlier call that nobody waited for (its caller failed first)."""
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            waiting._outcome, waiting._done = self._receive(waiting), True

    def _collect(self, pending: Pending) -> tuple[str, Any]:
        with self._lock:
            if self._waiting is not pending:
                return pending._run_here()  # never sent: the worker was gone
            self._waiting = None
            return self._receive(pending)

    def _receive(self, pending: Pending) -> tuple[str, Any]:
        try:
            return self._conn.recv()
        except (OSError, EOFError):
            self._gone = True  # the worker died (killed, out of memory): do it here instead
            return pending._run_here()

    def close(self) -> None:
        """Stop the worker: after the call it is running, whose result nobody read (a PDF half written would
        leave its temporary file), but not after its imports (a run with no rows ends before they do)."""
        with self._lock:
            self._settle()
            if self._process.is_alive():
                self._process.terminate()
            self._process.join(5)
            self._conn.close()


def start_worker(hold: bool = False) -> WarmWorker | None:
    """Fork the warm worker of this process, if it may be forked (one thread only) and has none yet; held,
    it waits for `release()` to begin its imports."""
    global _current
    if _current is None and threading.active_count() == 1 and hasattr(os, "fork"):
        _current = WarmWorker(hold=hold)
    return _current


def release() -> None:
    """Let the warm worker begin its imports, if it was started on hold."""
    if _current is not None:
        _current.release()


def stop_worker() -> None:
    global _current
    if _current is not None:
        worker, _current = _current, None
        worker.close()


def running() -> bool:
    """Whether this process has a warm worker (that has not died)."""
    return _current is not None and not _current._gone


def start(func: Callable[..., Any], *args: Any) -> Pending:
    """Start `func(*args)` in the warm worker, or (without one) prepare to run it here when its result is
    asked for."""
    return _current.start(func, *args) if _current is not None else Pending(None, func, args)


def call(func: Callable[..., Any], *args: Any) -> Any:
    """`func(*args)`, in the warm worker when there is one."""
    return start(func, *args).result()
