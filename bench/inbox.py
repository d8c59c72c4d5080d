"""The benchmark's inboxes: the sample generated once per scale, then linked into a run inbox
without one month of the monthly sources, which is added before the second run."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

MONTH_RE = (re.compile(r"(\d{4})年(\d{1,2})月"), re.compile(r"(\d{4})(\d{2})(?:\D|$)"))


def file_month(name: str) -> str | None:
    """`YYYY-MM` from a roster file name (`2025年07月…`, `…低保发放202507.csv`), else None."""
    for rx in MONTH_RE:
        m = rx.search(name)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{m.group(1)}-{int(m.group(2)):02d}"
    return None


def monthly_sources() -> tuple[str, ...]:
    from ingest.contract import SOURCES

    return tuple(s for s, src in SOURCES.items() if src.monthly)


def ensure_sample(cache: Path, scale: str, faults: str, seed: int, root: Path) -> dict:
    """Generate `<cache>/sample` once (timed with GNU time when present); the planted dict
    plus `generate` (wall/CPU/RSS of the generation, None when it was cached already)."""
    sample = cache / "sample"
    planted = sample / "_planted.json"
    if planted.exists():
        p = json.loads(planted.read_text(encoding="utf-8"))
        if (p["scale"], p["faults"], p["seed"]) == (scale, faults, seed):
            return p
    from measure import run_measured

    cache.mkdir(parents=True, exist_ok=True)
    civstat = Path(sys.executable).parent / "civstat"
    cmd = [str(civstat), "sample", "--out", str(sample), "--scale", scale,
           "--faults", faults, "--seed", str(seed)]
    res = run_measured(cmd, cwd=root, env=dict(os.environ), log=cache / "generate.log")
    if res["rc"] != 0:
        raise SystemExit(f"sample generation failed, see {cache / 'generate.log'}")
    res.pop("samples")
    (cache / "generate.json").write_text(json.dumps(res, indent=1))
    return json.loads(planted.read_text(encoding="utf-8"))


def generation_figures(cache: Path) -> dict | None:
    """Generation wall/CPU/RSS recorded when the sample was made (by ensure_sample or a
    `/usr/bin/time -v -o <cache>/generate.time civstat sample …` started by hand)."""
    if (cache / "generate.json").exists():
        return json.loads((cache / "generate.json").read_text())
    if (cache / "generate.time").exists():
        from measure import _gnu_time

        res = _gnu_time(cache / "generate.time")
        res["cpu_s"] = res["user_s"] + res["sys_s"]
        return res
    return None


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)  # same bytes and mtime (arrival) as the generated file, no copy
    except OSError:
        shutil.copy2(src, dst)


def prepare_inbox(sample: Path, inbox: Path, held_month: str) -> list[Path]:
    """Link every sample file into `inbox` except the monthly sources' `held_month` files;
    returns those held back (relative paths)."""
    if inbox.exists():
        shutil.rmtree(inbox)
    monthly, held = set(monthly_sources()), []
    for src in sorted(sample.rglob("*")):
        if not src.is_file():
            continue
        rel = src.relative_to(sample)
        if rel.parts[0] in monthly and file_month(rel.name) == held_month:
            held.append(rel)
            continue
        _link(src, inbox / rel)
    return held


def add_files(sample: Path, inbox: Path, files: list[Path]) -> None:
    for rel in files:
        _link(sample / rel, inbox / rel)


def du(path: Path) -> int:
    out = subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True)
    return int(out.stdout.split()[0]) if out.returncode == 0 else 0
