"""Ctrl-C (SIGINT) and SIGTERM during a civstat command, seen whichever handler is in place.

Two things lost an interrupt during `civstat run`, so that the run went on and published:
- Dagster's in-process run takes a signal that arrives while its own code runs between the
  step's code (handling the events a step yields: most of the ingest step's time at a
  district) as a flag that only its multiprocess executor reads, and clears it at the end;
- DuckDB turns an interrupt that arrives during a query into `RuntimeError("Query
  interrupted")`, which the ingest step took for a failure of the source being loaded.

So `watch()` (called by the CLI when a command starts) has the interpreter write the number
of each signal it receives to a pipe (`signal.set_wakeup_fd`: every signal with a Python
handler, which SIGINT has unless it is ignored), and a thread reads it. `requested()` says
whether SIGINT or SIGTERM came since; the steps call `stop_if_requested()` at their safe
points (between two sources, before dbt, the gate and the release are written) and where
an error may be an interrupt in disguise. It raises KeyboardInterrupt, which Dagster records
as the run's interruption (failure reason UNEXPECTED_TERMINATION); nothing half-written is
kept (each source's load is one transaction, a release is switched to only when whole).
Without `watch()` (tests, the UI's runs) `requested()` is always False.
"""

from __future__ import annotations

import os
import signal
import threading

_requested = threading.Event()
_watching: list[int] = []  # the pipe's write end, once watching


def watch() -> None:
    """Start watching this process's signals (main thread only; again: forget earlier ones)."""
    _requested.clear()
    if _watching:
        return
    read, write = os.pipe()
    os.set_blocking(write, False)  # a full pipe drops a byte, never blocks a handler
    signal.set_wakeup_fd(write, warn_on_full_buffer=False)
    _watching.append(write)
    threading.Thread(target=_read, args=(read,), name="civstat-interrupts", daemon=True).start()


def _read(fd: int) -> None:
    wanted = {signal.SIGINT, signal.SIGTERM}
    while chunk := os.read(fd, 64):
        if any(number in wanted for number in chunk):
            _requested.set()


def requested() -> bool:
    """Whether SIGINT or SIGTERM reached this process since `watch()`."""
    return _requested.is_set()


def stop_if_requested() -> None:
    """Raise KeyboardInterrupt when an interrupt was `requested()`."""
    if _requested.is_set():
        raise KeyboardInterrupt
