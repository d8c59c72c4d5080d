"""Stage-1 parsing of many new files on every core.

Parsing is CPU-bound Python/polars work on one file at a time, so a first load of a large
inbox (a city or a province: thousands of files) parses files in worker processes. The pool
is started once per process, on the first source that has enough new work to repay the
workers' start-up (about a second each: they import polars and the parsers), and reused by
every later source of the run. Small loads (a district, an added month) stay in process.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

# Work of one source's new files before the pool pays off, in bytes; each file counts
# FILE_COST bytes extra (opening, layout, per-file polars plans: ~18 ms for a small file).
POOL_MIN_BYTES = 16 * 1024 * 1024
FILE_COST = 20 * 1024
_pool: ProcessPoolExecutor | None = None


def workers() -> int:
    """Worker processes: every core, unless CIVSTAT_PARSE_WORKERS says otherwise (1 = none)."""
    setting = os.environ.get("CIVSTAT_PARSE_WORKERS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def pool() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # spawn, not fork: the parent holds DuckDB and polars thread pools
        _pool = ProcessPoolExecutor(workers(), mp_context=multiprocessing.get_context("spawn"))
        atexit.register(shutdown)
    return _pool


def shutdown() -> None:
    global _pool
    if _pool is not None:
        pool, _pool = _pool, None
        pool.shutdown(cancel_futures=True)


def use_pool(new_bytes: int, new_files: int) -> bool:
    return workers() > 1 and new_bytes + new_files * FILE_COST >= POOL_MIN_BYTES
