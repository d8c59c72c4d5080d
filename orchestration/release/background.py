"""A piece of a release made in a second process while the release goes on (issue 18).

indicators.xlsx of a province's half year (286 444 rows) takes xlsxwriter ≈ 23 s of pure
Python; it depends only on the period's rows and the manifest, so it is made in a spawned
process while this one validates the monthly rows and writes the other files, the pages
and the forms (docs/benchmarks.md, "Issue 18, seventh round"). Small releases (a
district's few thousand rows: the child's start-up, ≈ 1 s, would cost more than it saves)
and one-core machines make it in process, at once.

The child is a plain `multiprocessing.Process` (spawn, as the parse pool: the parent holds
DuckDB's and polars' threads) with a pipe back: its arguments are pickled when it starts,
and a child that dies (killed, out of memory) is seen at once — the value is then made in
process, so the release neither hangs nor changes. The child is killed with its parent
(PR_SET_PDEATHSIG, as the dbt the run starts).
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable

from ingest.parallel import cores  # the parse pool's count of usable CPUs
from orchestration.lifetime import die_with_parent, end_child

# Rows from which a second process pays off: ≈ 0.08 ms per row of xlsxwriter against the
# child's ≈ 1 s start (interpreter, imports) and ≈ 3 µs per row to send the cells.
MIN_ROWS = 50_000


def _child(conn, parent: int, fn: Callable, args: tuple) -> None:
    """The child's body: `fn(*args)` sent back as ("value", v) or ("error", exception)."""
    die_with_parent(parent)
    try:
        message = ("value", fn(*args))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        message = ("error", exc)
    try:
        conn.send(message)
    except Exception:  # an exception that does not pickle: its text instead
        conn.send(("error", RuntimeError("".join(traceback.format_exception(message[1])))))
    conn.close()


class Background:
    """`fn(*args)`, computed in a spawned process when `aside` and the machine has a second
    core, else at once in this one. `result()` returns its value or raises its exception
    (as raised in the child); if the child died without an answer, `result()` computes it
    in this process. `close()` ends the child whether or not it is done, so a release that
    fails elsewhere neither waits for it nor leaves it running. Use as a context manager.
    `fn` and `args` must pickle."""

    def __init__(self, fn: Callable, *args, aside: bool = True) -> None:
        self._fn, self._args, self._process, self._conn = fn, args, None, None
        self._done = False
        if aside and cores() > 1:
            ctx = multiprocessing.get_context("spawn")
            self._conn, theirs = ctx.Pipe(duplex=False)
            self._process = ctx.Process(target=_child, args=(theirs, os.getpid(), fn, args),
                                        name="civstat-release-aside")
            self._process.start()  # pickles fn and args now
            theirs.close()  # ours only: recv() sees the child's end close if it dies
        else:
            self._value, self._done = fn(*args), True

    def result(self):
        if not self._done:
            kind, payload = "lost", None
            try:
                if self._conn is not None:
                    kind, payload = self._conn.recv()
            except (EOFError, OSError):  # the child died without an answer
                pass
            finally:
                self.close()
            if kind == "error":
                raise payload
            if kind == "lost":
                payload = self._fn(*self._args)
            self._value, self._done = payload, True
        return self._value

    def close(self) -> None:
        process, self._process = self._process, None
        conn, self._conn = self._conn, None
        end_child(process, conn)

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
