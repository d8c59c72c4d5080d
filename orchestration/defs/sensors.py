"""Start an ingest when the inbox's content changes: a file added, changed or removed.

The sensor compares the inbox's content (every file's path and SHA-256) with what it saw at
its last request. Its cursor stays a few bytes (`<requests>:<content digest>`): Dagster
keeps a tick's cursor with every tick, so the whole file list there cost ≈ 75 KB a minute
for a district. The files' hashes are kept between ticks in `<warehouse>/cache/
inbox_sensor.json` (a cache: lost, every file is read once more), keyed by size,
modification time, inode and change time, so a file replaced by one of the same size and
modification time (`cp -p`, `rsync -t`, an unzip) is read again. Each request's run key
counts the requests, so an inbox changed back to an earlier content starts a run again
(Dagster skips a run key it has seen). A file that cannot be read is recorded as such, not
retried for ever; the ingest it starts names it (`unreadable_file`). An inbox emptied of
every file starts nothing (a clerk's folder between two deliveries).

The sensor trusts a file's stat on any file system, where the ingest's own digests
(`ingest/inbox_digests.py`) trust it only on local ones whose kernel keeps the change time
and only once the file has settled: a tick every minute cannot read a province's inbox
each time. So on FAT, sshfs, NFS or CIFS, a file rewritten with the same size and times
within one tick may be missed here; the next scheduled run reads it by the ingest's rule.
"""

import hashlib
import json
from pathlib import Path

import dagster as dg

from ingest.cache_index import load_json, save_json
from ingest.contract import SOURCES
from ingest.inbox import source_files
from ingest.warehouse_layout import WarehouseLayout
from orchestration.defs.jobs import ingest_only
from orchestration.defs.resources import Warehouse

HASHES = "inbox_sensor.json"  # under <warehouse>/cache/


def inbox_state(inbox: Path, known: dict[str, list] | None = None) -> dict[str, list]:
    """{relative path: [size, mtime_ns, inode, ctime_ns, sha256]} of every file in a source
    folder (sha256 `unreadable: <reason>` for a file the sensor cannot read).

    A file whose size, modification time, inode and change time are those of `known` keeps
    its hash: only new or touched files are read (the province inbox is gigabytes).
    """
    known = known or {}
    state = {}
    for source in SOURCES:
        for rel in source_files(inbox, source)[0]:  # the ingest's own rule of what is a file
            try:
                st = (inbox / rel).stat()
                stamp = [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]
                old = known.get(rel)
                if old and old[:4] == stamp:
                    state[rel] = old
                    continue
                with open(inbox / rel, "rb") as fh:
                    state[rel] = [*stamp, hashlib.file_digest(fh, "sha256").hexdigest()]
            except OSError as e:  # gone since the listing, or closed to us
                state[rel] = [0, 0, 0, 0, f"unreadable: {e.strerror or e}"]
    return state


def content_digest(state: dict[str, list]) -> str:
    """16 hex digits of the inbox's content: every file's path and hash."""
    contents = sorted((p, v[-1]) for p, v in state.items())
    return hashlib.sha256(json.dumps(contents, ensure_ascii=False).encode()).hexdigest()[:16]


def _parse_cursor(cursor: str | None) -> tuple[int, str]:
    """(requests so far, content digest at the last request); (0, "") for none or an older
    civstat's cursor (a map of every file), which then requests one run."""
    n, _, digest = (cursor or "").partition(":")
    return (int(n), digest) if n.isdigit() else (0, "")


@dg.sensor(job=ingest_only, minimum_interval_seconds=60,
           default_status=dg.DefaultSensorStatus.RUNNING,
           description="收件箱内容变化时入库 ingest when the inbox's content changes")
def inbox_sensor(context: dg.SensorEvaluationContext, warehouse: Warehouse):
    """The inbox is the `warehouse` resource's (CIVSTAT_INBOX), as for the ingest it starts."""
    inbox = warehouse.inbox_dir
    if not inbox.is_dir():
        return dg.SkipReason(f"收件箱不存在 the inbox is not an existing folder: {inbox}")
    hashes = WarehouseLayout(warehouse.dir).root / "cache" / HASHES
    before = load_json(hashes)
    after = inbox_state(inbox, before)
    if after != before:
        save_json(hashes, after)  # atomic, owner-only; a failure costs a read
    if not after:
        return dg.SkipReason("收件箱为空 the inbox holds no file of a source")
    requests, seen = _parse_cursor(context.cursor)
    digest = content_digest(after)
    if digest == seen:
        return dg.SkipReason("收件箱无变化 no file added, changed or removed")
    changed = sum(1 for p in after.keys() | before.keys()
                  if (before.get(p) or [None])[-1] != (after.get(p) or [None])[-1])
    context.update_cursor(f"{requests + 1}:{digest}")
    return dg.RunRequest(run_key=f"inbox-{requests + 1}-{digest}",
                         tags={"civstat/changed_files": str(changed)})


defs = dg.Definitions(sensors=[inbox_sensor])
