"""Start an ingest when a file is added to or changed in the inbox (cursor: path → hash)."""

import hashlib
import json
from pathlib import Path

import dagster as dg

from ingest.contract import SOURCES
from ingest.inbox import source_files
from orchestration.defs.jobs import ingest_only
from orchestration.defs.resources import Warehouse


def inbox_state(inbox: Path, known: dict[str, list] | None = None) -> dict[str, list]:
    """{relative path: [size, mtime_ns, sha256]} of every file in a source folder.

    A file whose size and modification time are unchanged since `known` keeps its hash:
    only new or touched files are read (the province inbox is gigabytes).
    """
    known = known or {}
    state = {}
    for source in SOURCES:
        for rel in source_files(inbox, source)[0]:  # the ingest's own rule of what is a file
            st = (inbox / rel).stat()
            old = known.get(rel)
            if old and old[:2] == [st.st_size, st.st_mtime_ns]:
                state[rel] = old
            else:
                with open(inbox / rel, "rb") as fh:
                    digest = hashlib.file_digest(fh, "sha256").hexdigest()
                state[rel] = [st.st_size, st.st_mtime_ns, digest]
    return state


def changes(before: dict[str, list], after: dict[str, list]) -> list[str]:
    """Paths added or whose content changed (a removed file alone starts nothing)."""
    return sorted(p for p, v in after.items() if (before.get(p) or [None] * 3)[2] != v[2])


@dg.sensor(job=ingest_only, minimum_interval_seconds=60,
           description="收件箱有新文件或文件变化时入库 ingest when the inbox changes")
def inbox_sensor(context: dg.SensorEvaluationContext, warehouse: Warehouse):
    """The inbox is the `warehouse` resource's (CIVSTAT_INBOX), as for the ingest it starts."""
    inbox = warehouse.inbox_dir
    if not inbox.is_dir():
        return dg.SkipReason(f"收件箱不存在 the inbox is not an existing folder: {inbox}")
    before = json.loads(context.cursor) if context.cursor else {}
    after = inbox_state(inbox, before)
    changed = changes(before, after)
    context.update_cursor(json.dumps(after, sort_keys=True))
    if not changed:
        return dg.SkipReason("收件箱无变化 no new or changed file")
    contents = sorted((p, v[2]) for p, v in after.items())
    key = hashlib.sha256(json.dumps(contents).encode()).hexdigest()[:16]
    return dg.RunRequest(run_key=key, tags={"civstat/changed_files": str(len(changed))})


defs = dg.Definitions(sensors=[inbox_sensor])
