"""Stage 1 of every source's new files in the parse pool, ahead of the loads (issue 18).

The ingest loads the sources one after another (`pipeline.ingest_source`): parse the new
files (stage 1), then stage 2 and the raw tables in DuckDB. Only a source with ≥ 8 MB of
new work was parsed by the pool (`parallel.use_pool`); a district's 28 other sources were
parsed in the run's process, each between two loads (≈ 3.7 s of a district's ≈ 9 s
ingest). `ParseAhead` submits the new files of all the step's sources to one pool when the
step starts, in load order, so the pool parses the next sources while this process loads
the earlier ones; `ingest_source` takes the results (`parsed`) instead of parsing.

- Only for a load of moderate size (`AHEAD_MIN_BYTES` … `AHEAD_MAX_BYTES` of new work in
  all, counted as `parallel.use_pool` does): a smaller one (an added month at district)
  would pay the workers' start for little, and a larger one (a city, a province) keeps its
  per-source pool, shut between sources (the idle workers' memory beside stage 2's DuckDB).
- The same parse: the same groups (`parallel.source_groups`), the same `cache.load_or_parse_group`
  with the same stage-1 context and cache tag (`stage1_inputs`), writing the same cache
  entries. A file is taken from here only for the content (sha256) the load finds; what
  is not here, or whose parse failed here (a worker died, anything raised), is parsed by
  the load itself as before, where an error is reported as it always was.
- Planning reads what the load reads anyway: the sources' folders, the files' digests
  (`DigestIndex`, saved, so the load does not hash a file twice) and the cache index; it
  stops as soon as the new work passes `AHEAD_MAX_BYTES` or the files it looked at pass
  `AHEAD_MAX_FILES` (a city's or a province's inbox, whatever is new in it: the plan's
  lookups would cost more than it saves), and plans nothing where a file is on a file
  system whose digests are not kept (the load would read it again). A source
  whose planning raises is left to its load, as is everything when the pool cannot start.
- The pool is shut down once the last source's results were taken (its idle workers would
  hold memory beside the later loads), or at the end of the step.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

from ingest import parallel
from ingest.cache import CHANGED, FileInfo, cache_tag, cannot_read, load_or_parse_group
from ingest.cache_index import CacheIndex
from ingest.catalogue import catalogue_fingerprint, load_catalogue
from ingest.contract import SOURCES
from ingest.inbox import name_fault, source_files
from ingest.inbox_digests import DigestIndex
from ingest.localtime import now_shanghai
from ingest.pii import key_fingerprint, pii_key
from ingest.stage1 import Context
from ingest.warehouse_layout import WarehouseLayout, secure_warehouse

# New work of all the step's sources (bytes + parallel.FILE_COST a file) for which the
# pool parses ahead: from the pool's own threshold (below it, the workers' start is not
# repaid) to a district's full load with room (≈ 27 MB); a city's first load is ≈ 300 MB.
AHEAD_MIN_BYTES = parallel.POOL_MIN_BYTES
AHEAD_MAX_BYTES = 64 * 1024 * 1024
# Inbox files the plan looks at, at most: its digest and cache lookups cost ≈ 0.1 ms a file
# on top of the loads' own (a province's 34 000 files: 2–4 s every run), while parsing
# ahead saves ≈ 2 s at most. A district holds ≈ 400 files a year; a province's 低保 roster
# alone ≈ 13 000, so its plan stops at that folder's listing.
AHEAD_MAX_FILES = 3000


def stage1_inputs(source: str, warehouse: Path, now: datetime) -> tuple[Context, str]:
    """A source's stage-1 context (today, the warehouse's PII key, the code catalogue where
    the source uses it) and its parse cache tag."""
    src = SOURCES[source]
    key = pii_key(Path(warehouse))
    catalogue = load_catalogue() if src.uses_catalogue else {}
    ctx = Context(today=now.date(), key=key, catalogue=catalogue)
    tag = cache_tag(source, key_fingerprint(key),
                    catalogue_fingerprint() if src.uses_catalogue else "")
    return ctx, tag


def file_digest(digests: DigestIndex, inbox: Path, rel: str):
    """(sha256, fault or None, stat after the read) of the inbox file `rel`: the fault of
    its name (`inbox.name_fault`), else CHANGED when it changed while it was read."""
    try:
        sha, before, after = digests.digest(Path(inbox) / rel, rel)
    except OSError as exc:  # no permission, gone since the listing: this file is refused alone
        return unreadable_digest(rel, exc)
    fault = name_fault(rel)
    if not fault and (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        fault = CHANGED  # still being written: not read now, read at the next run
    return sha, fault, after


def unreadable_digest(rel: str, exc: OSError):
    """(a stand-in sha256 naming the path, the fault, an empty stat) of an inbox file the
    system would not let us read: it is rejected as ``unreadable_file`` with the system's
    reason, and read again at the next run."""
    sha = hashlib.sha256(b"unreadable\0" + os.fsencode(rel)).hexdigest()
    return sha, cannot_read(exc), os.stat_result((0,) * 10)


class ParseAhead:
    """The new files of `sources` (in load order) parsed by a pool of their own, for a
    `with` block around their loads; see the module's doc. Outside the sizes it is for, or
    with one core, it does nothing and `parsed` gives nothing."""

    def __init__(self, inbox: Path, warehouse: Path, sources: list[str],
                 now: datetime | None = None) -> None:
        self.inbox, self.warehouse, self.sources = Path(inbox), Path(warehouse), sources
        self.now = now or now_shanghai()
        self._pool: ProcessPoolExecutor | None = None
        self._jobs: dict[str, list[tuple[list[str], Future]]] = {}
        self._inputs: dict[str, tuple[Context, str]] = {}

    def _new_files(self, source: str, paths: list[str],
                   room: int) -> dict[str, tuple[Path, int]] | None:
        """sha256 → (path, bytes) of the source's inbox files (`paths`) not in the parse
        cache; None once their work passes `room` bytes, or for a file on a file system
        whose digests are not kept (`DigestIndex.trusted`: the load would read it a second
        time)."""
        cache_dir = WarehouseLayout(self.warehouse).parse_cache
        _ctx, tag = self._inputs[source] = stage1_inputs(source, self.warehouse, self.now)
        index, digests = CacheIndex(cache_dir, source), DigestIndex(cache_dir, source)
        new: dict[str, tuple[Path, int]] = {}
        for rel in paths:
            if not digests.trusted((self.inbox / rel).stat()):
                return None
            sha, fault, after = file_digest(digests, self.inbox, rel)
            if not fault and sha not in new and not index.cached(sha, tag):
                new[sha] = (self.inbox / rel, after.st_size)
                room -= after.st_size + parallel.FILE_COST
                if room < 0:
                    break
        digests.save()  # what was hashed here is not hashed again by the load
        return None if room < 0 else new

    def _plan(self) -> dict[str, dict[str, tuple[Path, int]]] | None:
        """The new files of each source, or None when they are outside the sizes."""
        planned: dict[str, dict[str, tuple[Path, int]]] = {}
        room, files = AHEAD_MAX_BYTES, AHEAD_MAX_FILES
        for source in self.sources:
            try:
                paths = source_files(self.inbox, source)[0]
                files -= len(paths)
                if files < 0:
                    return None
                new = self._new_files(source, paths, room)
            except Exception:  # noqa: BLE001 - its load will meet the same, and say so
                continue
            if new is None:
                return None
            planned[source] = new
            room -= sum(n + parallel.FILE_COST for _, n in new.values())
        return planned if AHEAD_MAX_BYTES - room >= AHEAD_MIN_BYTES else None

    def __enter__(self) -> ParseAhead:
        if parallel.workers() < 2:
            return self
        secure_warehouse(self.warehouse)  # as the loads do, before the PII key is read
        planned = self._plan()
        if planned is None:
            return self
        cache_dir = WarehouseLayout(self.warehouse).parse_cache
        try:
            self._pool = parallel.new_pool()
            for source, new in planned.items():
                if not new:
                    continue
                ctx, tag = self._inputs[source]
                _, cut = parallel.source_groups({sha: n for sha, (_, n) in new.items()})
                self._jobs[source] = [  # the groups its load would make
                    (group, self._pool.submit(load_or_parse_group, cache_dir, source,
                                              [(new[s][0], s) for s in group], ctx, tag,
                                              self.now))
                    for group in cut]
        except Exception:  # noqa: BLE001 - no pool (spawn failed, out of memory): the loads parse
            self.__exit__()
        return self

    def parsed(self, source: str, shas, tag: str) -> dict[str, tuple[Path, FileInfo]]:
        """sha256 → (cache entry, file info) for those of `shas` parsed here for `source`
        with its cache tag `tag` (waiting for them); each source's results are given once.
        A file the worker found changed (a rejection) is not given: the load parses it.
        The pool is shut down once every source's results were taken."""
        out: dict[str, tuple[Path, FileInfo]] = {}
        for group, job in self._jobs.pop(source, []):
            try:
                results = job.result()
            except Exception:  # noqa: BLE001 - a worker died, the pool shut: the load parses
                continue
            for sha, (entry, info, _) in zip(group, results, strict=True):
                if sha in shas and info.tag == tag:
                    out[sha] = (entry, info)
        if not self._jobs:
            self.__exit__()  # its idle workers would hold memory beside the later loads
        return out

    def __exit__(self, kind=None, *_) -> None:
        """Let the pool go; after an interrupt (a BaseException that is no Exception:
        Ctrl-C, Dagster's interruption) its workers are ended at once (`parallel.stop`)."""
        self._jobs.clear()
        if self._pool is not None:
            pool, self._pool = self._pool, None
            if kind is not None and not issubclass(kind, Exception):
                parallel.stop(pool)
            else:
                pool.shutdown(wait=False, cancel_futures=True)
