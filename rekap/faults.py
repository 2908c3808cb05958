"""Where the crash-safety tests make a run fail (`REKAP_UJI_MATI_DI`); a no-op otherwise."""

from __future__ import annotations

import os
import signal
import time

FAULT = "REKAP_UJI_MATI_DI"  # the fault-injection tests' setting: `stage`, or `stage:part of a file name`


def fault_point(stage: str, what: str = "") -> None:
    """Crash-safety tests make the run fail here when `REKAP_UJI_MATI_DI` names this stage (and, after a
    colon, a part of `what`, e.g. the file being read): `mati` kills the process (SIGKILL, as an operator
    or the OOM killer would), `lambat` hangs it, `memori` makes it allocate without end. A no-op
    otherwise."""
    wanted = os.environ.get(FAULT)
    if not wanted:
        return
    name, _, part = wanted.partition(":")
    fault, _, where = name.rpartition("@")
    if where != stage or (part and part not in what):
        return
    if fault == "lambat":
        time.sleep(3600)
    elif fault == "memori":
        hog = [bytearray(2**28) for _ in range(1 << 16)]  # 16 TiB at most: the memory bound comes first
        del hog
    else:
        os.kill(os.getpid(), signal.SIGKILL)
