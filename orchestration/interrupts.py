"""Ctrl-C (SIGINT) and SIGTERM during a civstat command, seen whichever handler is in place.

Two things lost an interrupt during `civstat run`, so that the run went on and published:
- Dagster's in-process run takes a signal that arrives while its own code runs between the
  step's code (handling the events a step yields: most of the ingest step's time at a
  district) as a flag that only its multiprocess executor reads, and clears it at the end;
- DuckDB turns an interrupt that arrives during a query into `RuntimeError("Query
  interrupted")`, which the ingest step took for a failure of the source being loaded.

So `watch()` (called by the CLI when a command starts) has the interpreter write the number
of each signal it receives to a pipe (`signal.set_wakeup_fd`: every signal with a Python
handler, which SIGINT has unless it is ignored; SIGTERM is given Python's Ctrl-C handler
where it had none, so that it too ends the command in order). `requested()` reads what
the pipe holds and says whether SIGINT or SIGTERM came since; the steps call
`stop_if_requested()` at their safe points (between two sources, before dbt, before the
release is written) and where an error may be an interrupt in disguise. It raises
KeyboardInterrupt, which Dagster records as the run's interruption (failure reason
UNEXPECTED_TERMINATION); nothing half-written is kept (each source's load is one
transaction, a release is switched to only when whole). Without `watch()` (tests, the UI's
runs) `requested()` is always False.
"""

from __future__ import annotations

import os
import signal

_WANTED = {signal.SIGINT, signal.SIGTERM}
_pipe: list[int] = []  # read end, write end: once watching
_heard = [False]


def watch() -> None:
    """Watch this process's signals from now on (main thread only). Called again (a new
    command in the same process), it forgets what came before and watches afresh, even if
    something else took the interpreter's wakeup pipe meanwhile."""
    if not _pipe:
        read, write = os.pipe()
        os.set_blocking(read, False)
        os.set_blocking(write, False)  # a full pipe drops a byte, never blocks a handler
        _pipe.extend((read, write))
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.set_wakeup_fd(_pipe[1], warn_on_full_buffer=False)
    _drain()
    _heard[0] = False


def _drain() -> None:
    """Read every signal number the pipe holds; note an interrupt among them."""
    while True:
        try:
            chunk = os.read(_pipe[0], 4096)
        except BlockingIOError:
            return
        if not chunk:
            return
        if any(number in _WANTED for number in chunk):
            _heard[0] = True


def requested() -> bool:
    """Whether SIGINT or SIGTERM reached this process since `watch()`."""
    if _pipe:
        _drain()
    return _heard[0]


def stop_if_requested() -> None:
    """Raise KeyboardInterrupt when an interrupt was `requested()`."""
    if requested():
        raise KeyboardInterrupt
