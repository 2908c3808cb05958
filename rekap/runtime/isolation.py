"""Reading and validating submitted files in worker processes that a file may kill.

Whatever a file does to the process that reads it (an exception, a memory blow-up, a hang, a crash of a
reader library), the run goes on: the file is recorded as rejected (rule F14, with what happened) and the
others are read. Each worker reads a batch of files one by one, telling the parent which file it starts,
under a memory bound per file (`RLIMIT_AS`, lowered for the file and raised again after it) and a
deadline per file kept by the parent, then validates its batch with GX (so the raw rows never leave the
process that read them). A worker that dies or overruns is killed; the file it was reading is rejected
and the rest of its batch is read again by a new worker. A batch whose validation kills its worker is
split in two until the file behind it is alone.

Workers are forked from multiprocessing's fork server, a clean single-threaded process that imports the
readers and GX once (`start`): forking the caller instead would copy the threads of Prefect's engine, and a
new interpreter per worker would import GX again. Inside a daemonic process (a Dask worker started so),
which may not have children, the batches are checked in the process itself: an error still only rejects
its file, but memory and time are not bounded there.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from rekap.settings import Limits

# What a worker needs, made ready once by the fork server (GX takes seconds).
PRELOAD = ["rekap.runtime.reader_server"]
# Settings a worker takes from the caller's environment at each batch (the fork server's own environment
# is the caller's when the server started): the fault-injection tests' one.
FROM_CALLER = ("REKAP_UJI_MATI_DI",)
# A worker that dies before it starts its first file is no file's doing; after this many in a row the
# machine itself is in trouble, and the run stops instead of rejecting sound files.
MAX_WORKER_FAILURES = 3

_context: Any = None


def start() -> None:
    """Start the fork server now, so that it imports what the workers need while the caller does other
    work (the first batch would start it otherwise)."""
    if _fork_server() is not None:
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _fork_server() -> Any:
    """The fork server's multiprocessing context, or None where no child process may be started."""
    global _context
    if (
        multiprocessing.current_process().daemon
        or "forkserver" not in multiprocessing.get_all_start_methods()
    ):
        return None
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(PRELOAD)
    return _context


@dataclass(frozen=True)
class Failure:
    """A file whose reading or validation did not finish (its index in the run), and what happened."""

    index: int
    reason: str


@dataclass
class Outcome:
    """What each finished batch gave (with the indices of its files) and the files that failed."""

    parts: list[tuple[list[int], Any]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


# check_batch(files, before_file, before_validation) -> the batch's result, raising what a file causes.
CheckBatch = Callable[[list[Any], Callable[[int], None], Callable[[], None]], Any]


def check_isolated(files: list[Any], batches: list[list[int]], check: CheckBatch, limits: Limits) -> Outcome:
    """Run `check` over each batch of `files` (lists of indices) in worker processes, as many at once as
    there are batches; the files that brought down their worker fail alone."""
    context = _fork_server()
    if context is None:
        return _in_this_process(files, batches, check)
    return _Pool(context, files, check, limits).run(batches)


@dataclass
class _Job:
    """A batch (indices into the run's files) given to one worker."""

    files: list[int]
    position: int = -1  # the file being read, as a position in `files`; len(files) while validating
    deadline: float = 0.0


@dataclass
class _Worker:
    process: Any
    conn: Connection
    job: _Job | None = None


class _Pool:
    def __init__(self, context: Any, files: list[Any], check: CheckBatch, limits: Limits) -> None:
        self.context, self.files, self.check, self.limits = context, files, check, limits
        self.queue: deque[_Job] = deque()
        self.workers: list[_Worker] = []
        self.outcome = Outcome()
        self.worker_failures = 0

    def run(self, batches: list[list[int]]) -> Outcome:
        self.queue.extend(_Job(list(b)) for b in batches if b)
        slots = len(self.queue)
        try:
            while self.queue or self._busy():
                while self.queue and len(self._busy()) < slots:
                    self._assign(self.queue.popleft())
                busy = self._busy()
                if not busy:
                    continue
                timeout = max(0.0, min(w.job.deadline for w in busy if w.job) - time.monotonic())
                ready = wait([w.conn for w in busy], timeout)
                for worker in busy:
                    if worker.conn in ready:
                        self._receive(worker)
                    elif worker.job and time.monotonic() > worker.job.deadline:
                        self._lost(
                            worker, f"tidak selesai dalam batas waktu ({self._seconds(worker.job):g} detik)"
                        )
        finally:
            for worker in self.workers:
                worker.conn.close()
                worker.process.kill()
                worker.process.join()
        return self.outcome

    def _busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.job is not None]

    def _assign(self, job: _Job) -> None:
        worker = next((w for w in self.workers if w.job is None), None) or self._new_worker()
        worker.job = job
        job.deadline = time.monotonic() + self.limits.max_seconds_per_file
        try:
            environment = {name: os.environ.get(name) for name in FROM_CALLER}
            worker.conn.send(([self.files[i] for i in job.files], self.check, self.limits, environment))
        except (OSError, EOFError):
            self._lost(worker, _death(worker))

    def _new_worker(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child,), name="rekap-baca", daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self.workers.append(worker)
        return worker

    def _seconds(self, job: _Job) -> float:
        """The time a worker has for the step it is on: a file, or validating its whole batch."""
        per_file = self.limits.max_seconds_per_file
        return per_file * (1 + len(job.files) / 50) if job.position >= len(job.files) else per_file

    def _receive(self, worker: _Worker) -> None:
        job = worker.job
        assert job is not None
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            self._lost(worker, _death(worker))
            return
        if kind == "mulai":  # the worker starts file `value` of its batch, or its validation
            job.position = value
            job.deadline = time.monotonic() + self._seconds(job)
            self.worker_failures = 0
        elif kind == "gagal":  # what the file caused, caught by the worker, which then ends
            self._lost(worker, value)
        else:  # "selesai"
            self.outcome.parts.append((job.files, value))
            worker.job = None

    def _lost(self, worker: _Worker, reason: str) -> None:
        """The worker's batch could not finish: reject the file behind it, check the rest again."""
        job = worker.job
        assert job is not None
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self.workers.remove(worker)
        if job.position < 0:
            self.worker_failures += 1
            if self.worker_failures >= MAX_WORKER_FAILURES:
                raise RuntimeError(
                    f"Proses pembaca berkas gagal dijalankan {MAX_WORKER_FAILURES} kali: {reason}"
                )
            self.queue.appendleft(job)
        elif job.position < len(job.files) or len(job.files) == 1:
            culprit = job.files[min(job.position, len(job.files) - 1)]
            step = "pembacaan" if job.position < len(job.files) else "validasi"
            self.outcome.failures.append(Failure(culprit, f"{step} {reason}"))
            rest = [i for i in job.files if i != culprit]
            if rest:
                self.queue.append(_Job(rest))
        else:  # validating a batch: halve it until the file behind it is alone
            half = len(job.files) // 2
            self.queue.extend([_Job(job.files[:half]), _Job(job.files[half:])])


def _death(worker: _Worker) -> str:
    """What became of a worker that stopped answering."""
    worker.process.join(1)
    code = worker.process.exitcode
    if code is not None and code < 0:
        return f"terhenti: proses pembaca mati ({signal.Signals(-code).name}, mis. kehabisan memori)"
    return f"terhenti: proses pembaca berakhir (kode {code})"


# --- the worker ------------------------------------------------------------------------------------


def _serve(conn: Connection) -> None:
    """A worker: check batches until the parent closes the pipe. A file's failure is reported and ends
    the worker (its memory may be in any state)."""
    while True:
        try:
            files, check, limits, environment = conn.recv()
        except (EOFError, OSError):
            return
        for name, value in environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        budget = limits.max_memory_per_file

        def before_file(position: int, budget: int = budget) -> None:
            _bound(conn, position, budget)

        def before_validation(files: list[Any] = files, budget: int = budget) -> None:
            _bound(conn, len(files), 4 * budget)

        try:
            result = check(files, before_file, before_validation)
        except MemoryError:
            _unbound()
            conn.send(("gagal", f"melebihi batas memori ({budget // 2**20} MiB, REKAP_MAX_MEMORY_PER_FILE)"))
            return
        except Exception as exc:  # a bug, or a library choking on the file: the file is rejected
            _unbound()
            conn.send(("gagal", f"gagal ({type(exc).__name__}: {' '.join(str(exc).split())[:300]})"))
            return
        _unbound()
        conn.send(("selesai", result))


def _bound(conn: Connection, position: int, budget: int) -> None:
    """Tell the parent which step starts; allow this process `budget` more bytes of memory for it."""
    _unbound()
    conn.send(("mulai", position))
    soft = _address_space() + budget
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(
        resource.RLIMIT_AS, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard)
    )


def _unbound() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def _address_space() -> int:
    """This process's virtual memory size in bytes."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _in_this_process(files: list[Any], batches: list[list[int]], check: CheckBatch) -> Outcome:
    """Without a fork server: each batch in this process; an exception still only rejects its file."""
    outcome = Outcome()
    queue = deque(b for b in batches if b)
    while queue:
        batch = queue.popleft()
        reached = [-1]

        def before_file(position: int, reached: list[int] = reached) -> None:
            reached[0] = position

        def before_validation(batch: list[int] = batch, reached: list[int] = reached) -> None:
            reached[0] = len(batch)

        try:
            result = check([files[i] for i in batch], before_file, before_validation)
        except Exception as exc:
            reason = f"gagal ({type(exc).__name__}: {' '.join(str(exc).split())[:300]})"
            if reached[0] >= len(batch) and len(batch) > 1:  # in validation: halve the batch
                half = len(batch) // 2
                queue.extend([batch[:half], batch[half:]])
                continue
            culprit = batch[min(max(reached[0], 0), len(batch) - 1)]
            step = "pembacaan" if reached[0] < len(batch) else "validasi"
            outcome.failures.append(Failure(culprit, f"{step} {reason}"))
            rest = [i for i in batch if i != culprit]
            if rest:
                queue.append(rest)
            continue
        outcome.parts.append((batch, result))
    return outcome
