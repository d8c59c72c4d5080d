"""Measuring one command: wall, CPU and peak RSS of the process tree, and per-phase figures
from the Dagster step log (`Finished execution of step "X" in N`).

Whole-process numbers come from GNU time (`/usr/bin/time -v`) when present, otherwise from
resource.getrusage(RUSAGE_CHILDREN). A sampler thread reads /proc every 0.2 s for the sum
of RSS and CPU over the whole process tree (civstat and its dbt subprocess), which is what
lets CPU and peak RSS be attributed to the step running at the time.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
STEP_RE = re.compile(r'Finished execution of step "([^"]+)" in ([0-9.hms]+)\.?\s*$')
PHASES = ("ingest", "checks", "dbt", "publish", "overhead")


def phase_of(step: str) -> str:
    """ingest (raw__<source>; since issue 18 the one step raw_sources, which also runs the
    sources' checks), dbt (civstat_dbt_models*), publish (release); every other step is a
    check (GX suites, rows accounted, the gate)."""
    if step.startswith("civstat_dbt_models"):
        return "dbt"
    if step == "release":
        return "publish"
    if step == "raw_sources":
        return "ingest"
    if step.startswith("raw__") and not step.endswith(("_gx_suite", "_rows_accounted")):
        return "ingest"
    return "checks"


def parse_duration(text: str) -> float:
    """Dagster's format_duration back to seconds: 0.83ms, 533ms, 5.6s, 4m52s, 1h4m."""
    scale = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    return sum(float(n) * scale[u] for n, u in re.findall(r"([0-9.]+)(ms|h|m|s)", text))


def step_timings(log: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        m = STEP_RE.search(line)
        if m:
            out[m.group(1)] = out.get(m.group(1), 0.0) + parse_duration(m.group(2))
    return out


def step_intervals(warehouse: Path) -> list[tuple[float, float, str]]:
    """(start, end, step) in epoch seconds from the newest run's Dagster event log."""
    runs = sorted((warehouse / "dagster" / "history" / "runs").glob("*-*-*-*-*.db"),
                  key=lambda p: p.stat().st_mtime)
    if not runs:
        return []
    con = sqlite3.connect(f"file:{runs[-1]}?mode=ro", uri=True)
    starts, out = {}, []
    rows = con.execute("select dagster_event_type, step_key, timestamp from event_logs "
                       "where dagster_event_type in ('STEP_START', 'STEP_SUCCESS', "
                       "'STEP_FAILURE') order by id").fetchall()
    con.close()
    for kind, step, ts in rows:
        t = datetime.fromisoformat(str(ts)).replace(tzinfo=UTC).timestamp()
        if kind == "STEP_START":
            starts[step] = t
        elif step in starts:
            out.append((starts.pop(step), t, step))
    return out


def _tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return pids


def _usage(pids: list[int]) -> tuple[float, int]:
    cpu, rss = 0.0, 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu += sum(int(x) for x in fields[11:15]) / TICK  # utime stime cutime cstime
        rss += int(fields[21]) * PAGE
    return cpu, rss


class TreeSampler(threading.Thread):
    """Samples the tree under `pid`; kills that process group (started by us, in its own
    session) when the tree's RSS passes `limit` bytes, so a run cannot starve the box."""

    def __init__(self, pid: int, every: float = 0.2, limit: int | None = None):
        super().__init__(daemon=True)
        self.pid, self.every, self.limit, self.samples = pid, every, limit, []
        self.killed_at: int | None = None
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            cpu, rss = _usage(_tree(self.pid))
            self.samples.append((time.time(), cpu, rss))
            if self.limit and rss > self.limit and self.killed_at is None:
                self.killed_at = rss
                for pid in reversed(_tree(self.pid)):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
            self.done.wait(self.every)


def _gnu_time(path: Path) -> dict:
    text = path.read_text(errors="replace")

    def field(label: str) -> str:
        m = re.search(rf"{re.escape(label)}: (.+)", text)
        return m.group(1).strip() if m else "0"

    parts = [float(x) for x in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    wall = sum(x * 60 ** i for i, x in enumerate(reversed(parts)))
    return {"wall_s": wall, "user_s": float(field("User time (seconds)")),
            "sys_s": float(field("System time (seconds)")),
            "max_rss_mb": int(field("Maximum resident set size (kbytes)")) / 1024}


def run_measured(cmd: list[str], *, cwd: Path, env: dict, log: Path,
                 rss_limit_mb: float | None = None) -> dict:
    """Run cmd; its stdout/stderr go to `log`. Whole-process and sampled figures; the
    run is killed when the tree's RSS passes rss_limit_mb (`killed_at_rss_mb` is set)."""
    timer = shutil.which("time") if Path("/usr/bin/time").exists() else None
    tfile = log.with_suffix(".time")
    full = [timer, "-v", "-o", str(tfile), *cmd] if timer else cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(full, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        limit = int(rss_limit_mb * 2**20) if rss_limit_mb else None
        sampler = TreeSampler(proc.pid, limit=limit)
        sampler.start()
        rc = proc.wait()
        sampler.done.set()
        sampler.join()
    wall = time.time() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if timer and tfile.exists() and tfile.stat().st_size:
        res = _gnu_time(tfile)
    else:
        res = {"wall_s": wall, "user_s": after.ru_utime - before.ru_utime,
               "sys_s": after.ru_stime - before.ru_stime, "max_rss_mb": None}
    res["cpu_s"] = res["user_s"] + res["sys_s"]
    res["tree_peak_rss_mb"] = max((s[2] for s in sampler.samples), default=0) / 2**20
    res["rc"] = rc
    res["killed_at_rss_mb"] = sampler.killed_at and round(sampler.killed_at / 2**20)
    res["samples"] = sampler.samples
    return res


def phases(samples: list, intervals: list, timings: dict[str, float], wall: float) -> dict:
    """Per phase: wall (sum of step durations from the log), CPU and peak tree RSS (samples
    attributed to the step running at the time); `overhead` is start-up and between steps."""
    out = {p: {"wall_s": 0.0, "cpu_s": 0.0, "peak_rss_mb": 0.0} for p in PHASES}
    for step, d in timings.items():
        out[phase_of(step)]["wall_s"] += d
    out["overhead"]["wall_s"] = max(0.0, wall - sum(timings.values()))

    def at(t: float) -> str:
        for start, end, step in intervals:
            if start <= t <= end:
                return phase_of(step)
        return "overhead"

    for (t1, c1, _), (t2, c2, r2) in zip(samples, samples[1:], strict=False):
        p = out[at((t1 + t2) / 2)]
        p["cpu_s"] += max(0.0, c2 - c1)
        p["peak_rss_mb"] = max(p["peak_rss_mb"], r2 / 2**20)
    return {k: {m: round(v, 2) for m, v in d.items()} for k, d in out.items()}
