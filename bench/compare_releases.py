"""Compare two published releases of one period: the guard of a change that must not change them.

    .venv/bin/python bench/compare_releases.py BEFORE_WAREHOUSE AFTER_WAREHOUSE --period 2025H1

Compares, between ``<warehouse>/published/<P>/`` of the two warehouses:

* ``indicators.csv`` and ``monthly.csv`` byte for byte, ``indicators.json`` key by key but
  for the run's own ``run_id`` and ``created_at``;
* the quarantine: every ``<warehouse>/quarantine/<source>.csv`` cell for cell but for the
  ``quarantined_at`` column (the time of the run that quarantined the row), and the
  manifest's ``quarantine_reasons`` ({source: {reason: rows}});
* the gate: every check's name, outcome and severity in the manifest (run ids, times and
  hashes of files that carry them are expected to differ and are not compared).

Exit status 0 when all are equal, 1 when anything differs (each difference is printed),
2 when a release folder is missing. Uses only the standard library.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

BYTE_EQUAL = ("indicators.csv", "monthly.csv")
RUN_KEYS = ("run_id", "created_at")  # differ between any two runs
RUN_COLUMNS = ("quarantined_at",)  # the quarantine's column that differs between any two runs


def _quarantine_rows(path: Path) -> list[list[str]]:
    """The rows of a quarantine CSV (header first) without the RUN_COLUMNS."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        return rows
    keep = [i for i, name in enumerate(rows[0]) if name not in RUN_COLUMNS]
    return [[row[i] for i in keep if i < len(row)] for row in rows]


def _release(warehouse: Path, period: str) -> Path:
    return warehouse / "published" / period.replace("/", "_")


def _checks(manifest: dict) -> list[tuple[str, str, str]]:
    """(name, outcome, severity) of every check, sorted; tolerant of the manifest's key names."""
    out = []
    for c in manifest.get("checks", []):
        name = c.get("name") or c.get("check") or ""
        outcome = str(c.get("outcome", c.get("passed", "")))
        if c.get("waived"):
            outcome += " (waived)"
        out.append((name, outcome, str(c.get("severity", ""))))
    return sorted(out)


def compare(before: Path, after: Path, period: str) -> list[str]:
    """Every difference between the two warehouses' releases of ``period``, as text lines."""
    diffs: list[str] = []
    rb, ra = _release(before, period), _release(after, period)
    for name in BYTE_EQUAL:
        fb, fa = rb / name, ra / name
        if not fb.exists() or not fa.exists():
            if fb.exists() != fa.exists():
                diffs.append(f"{name}: present in only one release")
            continue
        if fb.read_bytes() != fa.read_bytes():
            diffs.append(f"{name}: bytes differ")
    jb, ja = (json.loads((r / "indicators.json").read_text(encoding="utf-8")) for r in (rb, ra))
    for key in sorted((set(jb) | set(ja)) - set(RUN_KEYS)):
        if jb.get(key) != ja.get(key):
            diffs.append(f"indicators.json: {key} differs")
    qb, qa = before / "quarantine", after / "quarantine"
    names = {p.name for p in qb.glob("*.csv")} | {p.name for p in qa.glob("*.csv")}
    for name in sorted(names):
        pb, pa = qb / name, qa / name
        if not pb.exists() or not pa.exists() or _quarantine_rows(pb) != _quarantine_rows(pa):
            diffs.append(f"quarantine/{name}: differs")
    mb = json.loads((rb / "manifest.json").read_text(encoding="utf-8"))
    ma = json.loads((ra / "manifest.json").read_text(encoding="utf-8"))
    if mb.get("quarantine_reasons") != ma.get("quarantine_reasons"):
        diffs.append("manifest quarantine_reasons differ")
    cb, ca = _checks(mb), _checks(ma)
    for row in sorted(set(cb) ^ set(ca)):
        side = "before" if row in cb else "after"
        diffs.append(f"check only {side}: {row}")
    return diffs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path, help="warehouse folder of the earlier run")
    ap.add_argument("after", type=Path, help="warehouse folder of the later run")
    ap.add_argument("--period", required=True)
    args = ap.parse_args(argv)
    for wh in (args.before, args.after):
        if not (_release(wh, args.period) / "manifest.json").exists():
            print(f"no release of {args.period} under {wh}", file=sys.stderr)
            return 2
    diffs = compare(args.before, args.after, args.period)
    for d in diffs:
        print(d)
    print("releases equal" if not diffs else f"{len(diffs)} difference(s)")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
