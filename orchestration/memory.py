"""Giving memory back to the system between steps.

A run is one long process: after a step that pulled millions of rows through DuckDB,
pyarrow and pandas, the freed memory stays with the process (pyarrow's mimalloc pool,
Python's own arenas) and is counted in its RSS while the next step — or dbt's own
process — needs room. Called at the end of the heavy steps.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

BIG_STEP_ROWS = 1_000_000  # below this a step's leftovers are small; a full gc costs ~0.3 s


def free_memory(rows: int | None = None) -> None:
    """Free what can be freed; with ``rows``, only after a step that handled that many."""
    if rows is not None and rows < BIG_STEP_ROWS:
        return
    gc.collect()
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        pass
    libc = ctypes.util.find_library("c")
    if libc:
        try:
            ctypes.CDLL(libc).malloc_trim(0)
        except (OSError, AttributeError):  # not glibc
            pass
