"""A piece of a release made in a second process while the release goes on (issue 18).

indicators.xlsx of a province's half year (286 444 rows) takes xlsxwriter ≈ 23 s of pure
Python, as long as the pages; it depends only on the period's rows and the manifest, so it
is made in a spawned process while this one validates the monthly rows and writes the
other files and the pages (docs/benchmarks.md, "Issue 18, seventh round"). Small releases
(a district's few thousand rows: the child's start-up, ≈ 1 s, would cost more than it
saves) and one-core machines make it in process, at once.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.pool import Pool

# Rows from which a second process pays off: ≈ 0.08 ms per row of xlsxwriter against the
# child's ≈ 1 s start (interpreter, imports) and ≈ 3 µs per row to send the cells.
MIN_ROWS = 50_000


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Background:
    """`fn(*args)`, computed in a spawned process when `aside` and the machine has a second
    core, else at once in this one. `result()` returns its value or raises its exception
    (as raised in the child); `close()` ends the child whether or not it is done, so a
    release that fails elsewhere neither waits for it nor leaves it running. Use as a
    context manager. `fn` and `args` must pickle (spawn: the parent holds DuckDB's and
    polars' threads)."""

    def __init__(self, fn: Callable, *args, aside: bool = True) -> None:
        self._pool: Pool | None = None
        if aside and cores() > 1:
            self._pool = multiprocessing.get_context("spawn").Pool(1)
            self._job = self._pool.apply_async(fn, args)
        else:
            self._value = fn(*args)

    def result(self):
        if self._pool is not None:
            try:
                self._value = self._job.get()
            finally:
                self.close()
        return self._value

    def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.terminate()
            pool.join()

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
