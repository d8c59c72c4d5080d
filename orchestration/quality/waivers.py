"""Waivers: an explicit, audited decision to publish a period past a named failing check.

Kept append-only in `<warehouse>/waivers.jsonl` (outside the database, so recording one never
competes with a run for the DuckDB lock). Each line: period, check, reason, by, at.

A line that is not such a record (cut short by a full disk, edited by hand) is no waiver:
the readers skip it and `waiver_problems` names it (file, line, why), so one bad line does
not stop every run of every period, and `civstat run` and `civstat waive` say so. A new
waiver after a line cut short starts on a line of its own.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from pathlib import Path

from ingest.localtime import SHANGHAI
from ingest.warehouse_layout import WarehouseLayout

FIELDS = ("period", "check", "reason", "by", "at")


class WaiverError(ValueError):
    pass


def _read(warehouse: Path) -> tuple[list[dict], list[str]]:
    """(the waiver records of waivers.jsonl in order, a message per line that is none)."""
    path = WarehouseLayout(warehouse).waivers
    if not path.exists():
        return [], []
    entries, problems = [], []
    text = path.read_bytes().decode("utf-8", errors="replace")
    # records end with "\n" only: splitlines() also broke a reason holding U+2028 or U+0085
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line.lstrip("\ufeff"))
        except ValueError as e:
            problems.append(f"{path} 第{n}行 line {n}: 不是 JSON not JSON ({e.msg})")
            continue
        missing = [k for k in FIELDS if not isinstance(entry, dict)
                   or not isinstance(entry.get(k), str) or not entry[k].strip()]
        if missing:
            problems.append(f"{path} 第{n}行 line {n}: 缺少 missing {', '.join(missing)}")
            continue
        entries.append(entry)
    return entries, problems


def waiver_problems(warehouse: Path) -> list[str]:
    """A message (file, line, why) for each line of waivers.jsonl that is not a waiver."""
    return _read(warehouse)[1]


def check_waiver(check: str, reason: str, by: str, known_checks: set[str] | None = None) -> None:
    """Raise WaiverError unless the waiver names a reason, who gives it and a known check."""
    if not reason.strip():
        raise WaiverError("豁免必须写明理由 a waiver needs a reason (--reason)")
    if not by.strip():
        raise WaiverError("豁免必须署名 a waiver needs the name of who gives it (--by)")
    if known_checks is not None and check not in known_checks:
        raise WaiverError(
            f"没有名为 {check!r} 的检查 unknown check {check!r}; checks that can be waived: "
            + ", ".join(sorted(known_checks))
        )


def record_waiver(warehouse: Path, period: str, check: str, reason: str, by: str,
                  known_checks: set[str] | None = None) -> dict:
    """Append the waiver to waivers.jsonl (checked first: `check_waiver`); the entry."""
    check_waiver(check, reason, by, known_checks)
    entry = {
        "period": period,
        "check": check,
        "reason": reason.strip(),
        "by": by.strip(),
        "at": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
    }
    path = WarehouseLayout(warehouse).waivers
    path.parent.mkdir(parents=True, exist_ok=True)
    # owner-only like the rest of the private warehouse (docs/raw-layer.md): names who waived
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a+b") as f:
        f.seek(0, 2)
        cut = f.tell() > 0 and (f.seek(-1, 2), f.read(1))[1] != b"\n"
        # a line cut short (a full disk) keeps to itself: the new one was appended to it
        f.write((b"\n" if cut else b"") + json.dumps(entry, ensure_ascii=False).encode() + b"\n")
    return entry


def waivers_for(warehouse: Path, period: str) -> dict[str, dict]:
    """check name -> the latest waiver recorded for that check and period (lines that are no
    waiver are skipped, and logged: `waiver_problems`)."""
    entries, problems = _read(warehouse)
    for problem in problems:
        logging.getLogger(__name__).warning("豁免记录无法读取，已忽略 waiver line skipped: %s",
                                            problem)
    return {e["check"]: e for e in entries if e["period"] == period}
