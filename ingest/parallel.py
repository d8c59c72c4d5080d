"""Stage-1 parsing of many new files on every core, in groups.

Parsing is CPU-bound Python/polars work; the new files of a source are parsed in groups
(``groups``: files checked in one polars pass, which saves the fixed cost of each query per
file), and a first load of a large inbox (a city or a province: thousands of files) parses
its groups in worker processes. The pool is started for a source that has enough new work
to repay the workers' start-up (≈ 0.5 s each: they import polars and the parsers) and shut
down when that source's files are parsed: idle, each worker held ≈ 270 MB at province
beside the next stage 2's DuckDB (the ingest's peak: docs/benchmarks.md, "Issue 18, sixth
round"). Small loads (a district, an added month) stay in process.
"""

from __future__ import annotations

import atexit
import ctypes
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

# Work of one source's new files before the pool pays off, in bytes; each file counts
# FILE_COST bytes extra (opening, layout, per-file polars plans: ~18 ms for a small file).
# In process a roster parses at ≈ 0.2 s a MB; two workers start in ≈ 0.6 s (in parallel)
# and halve that, so the pool gains from ≈ 6 MB. At 8 MB the district's roster (≈ 14 MB of
# work) goes to the pool: its ingest step 9.7 → 8.8 s (docs/benchmarks.md, round 13).
POOL_MIN_BYTES = 8 * 1024 * 1024
FILE_COST = 20 * 1024
# Work of one group of files checked in one pass, in the same units: large enough that the
# fixed cost of the pass (~60 polars queries) is spread over many files, small enough that
# a group's bytes and frames stay small and the pool's workers get several groups each.
GROUP_BYTES = 4 * 1024 * 1024
_pool: ProcessPoolExecutor | None = None


def cores() -> int:
    """CPUs this process may run on (its affinity; `os.cpu_count()` where there is none)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def workers() -> int:
    """Worker processes: every core, unless CIVSTAT_PARSE_WORKERS says otherwise (1 = none)."""
    setting = os.environ.get("CIVSTAT_PARSE_WORKERS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    return cores()


def new_pool() -> ProcessPoolExecutor:
    """`workers()` parse processes (spawned, not forked: the parent holds DuckDB's and
    polars' thread pools). Shut it down when done, with `stop` after an interrupt. A worker
    ignores Ctrl-C (`_worker_start`), which the terminal sends to the whole process
    group: the parent handles it. Each worker printed a traceback; one that ended at once
    (`os._exit`) could hold the pool's queue lock and leave the others waiting for ever."""
    return ProcessPoolExecutor(workers(), mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_start, initargs=(os.getpid(),))


def _worker_start(parent: int) -> None:
    """A parse worker's start: SIGINT ignored (see `new_pool`), and the worker dies with its
    parent (a run killed by SIGKILL or the OOM killer left two workers of ≈ 300 MB each)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (prctl PR_SET_PDEATHSIG,
    Linux; elsewhere nothing). Exits 1 when the parent is already gone (`parent`: its pid,
    else "re-parented to init"). Here, not in orchestration, as the parse workers need it
    and ingest does not import orchestration (`orchestration.lifetime` gives it too)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1 or (parent is not None and os.getppid() != parent):
        sys.exit(1)  # the parent died before prctl took effect


def stop(pool: ProcessPoolExecutor) -> None:
    """End `pool` at once (an interrupted run): its queued work cancelled and its workers
    killed (SIGKILL: a worker may have inherited an ignored SIGTERM, and it holds nothing a
    kill could leave half done: a cache entry is written aside and renamed), so the
    parent's exit does not wait for a group being parsed.
    ProcessPoolExecutor has no public way to end a busy worker before Python 3.14
    (`terminate_workers`); its `_processes` map is read where it exists."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()


def pool() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = new_pool()
        atexit.register(shutdown)
    return _pool


def shutdown() -> None:
    global _pool
    if _pool is not None:
        pool, _pool = _pool, None
        pool.shutdown(cancel_futures=True)


def use_pool(new_bytes: int, new_files: int) -> bool:
    return workers() > 1 and new_bytes + new_files * FILE_COST >= POOL_MIN_BYTES


def groups(sizes: list[int], parts: int = 1) -> list[list[int]]:
    """The files (``sizes``: their bytes, in order) cut into groups of consecutive files,
    as indexes into ``sizes``: each group at most ``GROUP_BYTES`` of work (a file counts its
    bytes plus ``FILE_COST``; a larger file is a group alone) and at most an even share of
    the whole where ``parts`` (e.g. the pool's workers) should get a group each."""
    work = [n + FILE_COST for n in sizes]
    limit = min(GROUP_BYTES, -(-sum(work) // max(parts, 1)))
    out: list[list[int]] = []
    room = 0
    for i, w in enumerate(work):
        if not out or w > room:
            out.append([])
            room = limit
        out[-1].append(i)
        room -= w
    return out


def source_groups(sizes: dict[str, int]) -> tuple[bool, list[list[str]]]:
    """How one source's new files (``sizes``: key → bytes, in order) are parsed: whether by
    the pool (``use_pool``), and their groups (``groups``, split between the workers where
    the pool parses them), as lists of keys. The load (``pipeline``) and the parses ahead
    (``parse_ahead``) cut alike through this."""
    keys, work = list(sizes), list(sizes.values())
    pooled = use_pool(sum(work), len(keys))
    return pooled, [[keys[i] for i in g] for g in groups(work, workers() if pooled else 1)]
