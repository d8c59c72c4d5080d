"""Start an ingest when a file is added to or changed in the inbox (cursor: path → hash)."""

import hashlib
import json
import os
from pathlib import Path

import dagster as dg

from ingest.contract import SOURCES
from orchestration.jobs import ingest_only
from orchestration.resources import INBOX_ENV


def inbox_state(inbox: Path) -> dict[str, str]:
    """{relative path: sha256} of every file in a source folder of the inbox."""
    state = {}
    for source in SOURCES:
        folder = inbox / source
        if folder.is_dir():
            for f in sorted(folder.iterdir()):
                if f.is_file() and not f.name.startswith((".", "~$")):
                    state[f"{source}/{f.name}"] = hashlib.sha256(f.read_bytes()).hexdigest()
    return state


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Paths added or changed (a removed file alone starts nothing)."""
    return sorted(p for p, h in after.items() if before.get(p) != h)


@dg.sensor(job=ingest_only, minimum_interval_seconds=60,
           description="收件箱有新文件或文件变化时入库 ingest when the inbox changes")
def inbox_sensor(context: dg.SensorEvaluationContext):
    inbox = os.environ.get(INBOX_ENV)
    if not inbox or not Path(inbox).is_dir():
        return dg.SkipReason(f"{INBOX_ENV} is not set to an existing folder")
    before = json.loads(context.cursor) if context.cursor else {}
    after = inbox_state(Path(inbox))
    changed = changes(before, after)
    context.update_cursor(json.dumps(after, sort_keys=True))
    if not changed:
        return dg.SkipReason("收件箱无变化 no new or changed file")
    key = hashlib.sha256(json.dumps(after, sort_keys=True).encode()).hexdigest()[:16]
    return dg.RunRequest(run_key=key, tags={"civstat/changed_files": str(len(changed))})


defs = dg.Definitions(sensors=[inbox_sensor])
