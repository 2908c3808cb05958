"""The start and the end of `rekap run` (and `rekap demo`) typed at a prompt: a temporary Prefect server
started with the command when no Prefect API is configured (`temporary_server`), and an end that does not
wait for the interpreter's teardown."""

from __future__ import annotations

import atexit
import contextlib
import importlib
import logging
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when the server starts: the command's end is registered before the readers
    from rekap.runtime.temporary_server import TemporaryServer


@dataclass
class Command:
    """A run typed at a prompt: the exit status the process ends with as soon as it is set (`ended`), and its
    temporary server (None when Prefect has an API or decides itself, and until `start_server`)."""

    status: list[int]
    server: TemporaryServer | None = None

    @classmethod
    def start(cls) -> Command:
        """Before anything else: the command's end, registered first so that its exit handler runs after
        every other one (multiprocessing's, which removes the fork server's socket folder, Prefect's, the
        temporary server's stop)."""
        return cls(_end_quickly())

    def start_server(self) -> None:
        """Once the arguments are checked, before Prefect is imported: a temporary Prefect server if no API
        is configured."""
        from rekap.runtime import temporary_server

        self.server = temporary_server.start_early()
        if self.server is not None:
            atexit.register(self.server.stop)  # after Prefect's own exit handlers, registered later

    @property
    def temporary(self) -> bool:
        """Whether the run goes to the temporary server started with the command."""
        return self.server is not None

    def settle(self) -> None:
        """Once Prefect may be imported: keep the temporary server, or start the command again without it
        when Prefect's settings do not want one or it did not come up."""
        if self.server is None:
            return
        from rekap.runtime import temporary_server

        # The server takes seconds more to start: meanwhile, what Prefect imports at the first call of a
        # flow (its engines, and fastapi's encoder of the flow's parameters).
        for module in (
            "prefect.flow_engine",
            "prefect.task_engine",
            "prefect.utilities.visualization",
            "fastapi.encoders",
        ):
            importlib.import_module(module)
        if not temporary_server.confirm(self.server):
            temporary_server.start_again_without(self.server)

    def flow_settings(self) -> contextlib.AbstractContextManager[object]:
        """Around the flow's call: flow-run heartbeats only where they are asked for. Prefect sends them so
        that an automation on a server can mark a run whose process died as crashed; its documentation has
        them set (PREFECT_FLOWS_HEARTBEAT_FREQUENCY, in the environment, a profile or prefect.toml) where
        such an automation watches. Left at Prefect's default, a command typed at a prompt sends none (its
        steward sees it die), nor on the temporary server whatever the setting (its services are off): the
        engine ends a run that sends them by waiting for the heartbeat thread to wake from its sleep of up
        to a second."""
        from prefect.settings import (
            PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
            get_current_settings,
            temporary_settings,
        )

        if self.server is None and "heartbeat_frequency" in get_current_settings().flows.model_fields_set:
            return contextlib.nullcontext()
        return temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})

    def ended(self, code: int) -> None:
        """End the process with `code` at exit, once the exit handlers registered after the command started
        (Prefect's) have run, without the interpreter's teardown."""
        self.status.append(code)


def _end_quickly() -> list[int]:
    """Make the command end as soon as everything it started has finished, with the status put in the list
    returned (left empty, by an error, the process ends as usual).

    Tearing down the interpreter after a run (freeing Prefect, pandas, GX and the rest module by module)
    takes seconds and does nothing a process that ends needs. Exit handlers run last registered first: this
    one, registered before anything else, runs after the others (Prefect's, which send the last logs and
    events, the temporary server's stop, multiprocessing's, which removes its folder of sockets), flushes
    the logs and the output, and ends the process there."""
    status: list[int] = []

    def end() -> None:
        if status:
            try:
                logging.shutdown()
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(status[0])

    atexit.register(end)
    return status
