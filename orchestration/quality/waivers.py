"""Waivers: an explicit, audited decision to publish a period past a named failing check.

Kept append-only in `<warehouse>/waivers.jsonl` (outside the database, so recording one never
competes with a run for the DuckDB lock). Each line: period, check, reason, by, at.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from ingest.localtime import SHANGHAI
from ingest.warehouse_layout import WarehouseLayout


class WaiverError(ValueError):
    pass


def record_waiver(warehouse: Path, period: str, check: str, reason: str, by: str,
                  known_checks: set[str] | None = None) -> dict:
    if not reason.strip():
        raise WaiverError("豁免必须写明理由 a waiver needs a reason (--reason)")
    if not by.strip():
        raise WaiverError("豁免必须署名 a waiver needs the name of who gives it (--by)")
    if known_checks is not None and check not in known_checks:
        raise WaiverError(
            f"没有名为 {check!r} 的检查 unknown check {check!r}; checks that can be waived: "
            + ", ".join(sorted(known_checks))
        )
    entry = {
        "period": period,
        "check": check,
        "reason": reason.strip(),
        "by": by.strip(),
        "at": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
    }
    path = WarehouseLayout(warehouse).waivers
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return entry


def waivers_for(warehouse: Path, period: str) -> dict[str, dict]:
    """check name -> the latest waiver recorded for that check and period."""
    path = WarehouseLayout(warehouse).waivers
    found: dict[str, dict] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                if entry.get("period") == period:
                    found[entry["check"]] = entry
    return found
