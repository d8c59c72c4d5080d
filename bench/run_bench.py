"""Benchmark of `civstat run` at one scale (issue "Performance at province scale").

    .venv/bin/python bench/run_bench.py --scale district|city|province [--repeat 2]

Generates the sample once (bench/.cache/<scale>/sample), then per repetition, on a fresh
warehouse: (1) the full run for the period (default 2025H1) over an inbox without the
monthly sources' files of the added month (default 2025-07); (3) the floor over the very
same files (bench/floor.py) and a check that it gives the mart's 低保 figures; (2) the added
month's files copied in and the run for that month on the same warehouse. Prints a table
and writes bench/results/<scale>.json (medians over the repetitions and every sample).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

from inbox import add_files, du, ensure_sample, generation_figures, prepare_inbox  # noqa: E402
from measure import phases, run_measured, step_intervals, step_timings  # noqa: E402
from report import compare_floor, dbt_nodes, table  # noqa: E402

PACKAGES = ("dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "duckdb", "polars", "pyarrow",
            "fastexcel", "great-expectations", "pandas", "plotly")


def code_state() -> dict:
    """The commit measured and whether ingest/, orchestration/, dbt_project/ differ from it
    (other people edit the checkout: a dirty tree makes a measurement suspect)."""
    def git(*args: str) -> str:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return out.stdout.strip()

    dirty = git("status", "--porcelain", "--", "ingest", "orchestration", "dbt_project")
    return {"commit": git("rev-parse", "HEAD"), "dirty": dirty.splitlines()}


def machine() -> dict:
    def grep(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "?"

    return {
        "nproc": os.cpu_count(), "memory": grep("/proc/meminfo", "MemTotal"),
        "cpu": grep("/proc/cpuinfo", "model name"), "python": platform.python_version(),
        "kernel": platform.release(), "loadavg_at_start": os.getloadavg(),
        "packages": {p: metadata.version(p) for p in PACKAGES},
    }


def bench_env(bytecode: str) -> dict:
    """The environment of every measured command. `cached`: Python bytecode is compiled once
    into bench/.cache/pycache (PYTHONPYCACHEPREFIX) and reused, as on an installation whose
    site-packages hold .pyc files; `env`: the environment as it is (with
    PYTHONDONTWRITEBYTECODE=1 and no .pyc, every process compiles every module it imports)."""
    env = dict(os.environ)
    if bytecode == "cached":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(BENCH / ".cache" / "pycache")
        marker = BENCH / ".cache" / "pycache" / ".compiled"
        if not marker.exists():
            print("compiling bytecode once into bench/.cache/pycache …", flush=True)
            site = Path(metadata.distribution("dagster").locate_file(""))
            dirs = [str(site)] + [str(ROOT / d) for d in ("ingest", "orchestration",
                                                          "dashboards")]
            subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *dirs],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            marker.write_text("")
    return env


def civstat_run(inbox: Path, warehouse: Path, period: str, log: Path, env: dict,
                rss_limit_mb: float | None) -> dict:
    cmd = [str(Path(sys.executable).parent / "civstat"), "run", "--inbox", str(inbox),
           "--warehouse", str(warehouse), "--period", period, "--published-by", "bench"]
    res = run_measured(cmd, cwd=ROOT, env=env, log=log, rss_limit_mb=rss_limit_mb)
    runlogs = sorted((warehouse / "logs").glob("civstat_run-*.log"),
                     key=lambda p: p.stat().st_mtime)
    timings = step_timings(runlogs[-1]) if runlogs else {}
    res["phases"] = phases(res.pop("samples"), step_intervals(warehouse), timings,
                           res["wall_s"])
    res["top_steps"] = sorted(timings.items(), key=lambda kv: -kv[1])[:8]
    res["dbt_nodes"] = dbt_nodes(runlogs[-1]) if runlogs else {}
    res["run_log"] = str(runlogs[-1]) if runlogs else None
    return res


def floor_run(inbox: Path, period: str, work: Path, env: dict) -> dict:
    out = work / "floor.json"
    cmd = [sys.executable, str(BENCH / "floor.py"), "--inbox", str(inbox), "--period", period,
           "--out", str(out)]
    res = run_measured(cmd, cwd=ROOT, env=env, log=work / "floor.log")
    res.pop("samples")
    if res["rc"] != 0:
        raise SystemExit(f"the floor failed, see {work / 'floor.log'}")
    res["result"] = json.loads(out.read_text(encoding="utf-8"))
    return res


def one_repetition(sample: Path, work: Path, period: str, month: str, env: dict,
                   rss_limit_mb: float | None) -> dict:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    inbox, warehouse = work / "inbox", work / "warehouse"
    held = prepare_inbox(sample, inbox, month)
    print(f"  (1) full run {period}: {len(held)} files of {month} held back", flush=True)
    full = civstat_run(inbox, warehouse, period, work / "run_full.out", env, rss_limit_mb)
    print(f"      {full['wall_s']:.1f} s wall, exit {full['rc']}", flush=True)
    floor = floor_run(inbox, period, work, env)
    check = compare_floor(floor.pop("result"), warehouse / "civstat.duckdb", period)
    floor["read_s"], floor["sql_s"] = check.pop("read_s"), check.pop("sql_s")
    print(f"  (3) floor: {floor['wall_s']:.1f} s wall; {check['equal']} of {check['compared']}"
          " 低保 figures equal to the mart", flush=True)
    add_files(sample, inbox, held)
    added = civstat_run(inbox, warehouse, month, work / "run_added.out", env, rss_limit_mb)
    print(f"  (2) added month {month}: {added['wall_s']:.1f} s wall, exit {added['rc']}",
          flush=True)
    return {"full": full, "added": added, "floor": floor, "floor_check": check,
            "code": code_state(),
            "warehouse_bytes": du(warehouse), "inbox_bytes": du(inbox)}


def medians(reps: list[dict]) -> dict:
    def med(key: str, *path: str):
        vals = []
        for r in reps:
            v = r[key]
            for p in path:
                v = v[p]
            vals.append(v)
        return None if None in vals else round(statistics.median(vals), 2)

    out = {}
    for key in ("full", "added", "floor"):
        out[key] = {m: med(key, m) for m in ("wall_s", "cpu_s", "max_rss_mb",
                                             "tree_peak_rss_mb")}
        if key != "floor":
            out[key]["phases"] = {p: {m: med(key, "phases", p, m)
                                      for m in ("wall_s", "cpu_s", "peak_rss_mb")}
                                  for p in reps[0][key]["phases"]}
    out["ratio_full_to_floor"] = round(out["full"]["wall_s"] / out["floor"]["wall_s"], 2)
    out["added_share_of_full"] = round(out["added"]["wall_s"] / out["full"]["wall_s"], 3)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="civstat benchmark at one scale")
    p.add_argument("--scale", default="district", choices=["district", "city", "province"])
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--faults", default="none", choices=["none", "some"])
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--period", default="2025H1")
    p.add_argument("--added-month", default="2025-07")
    p.add_argument("--results", type=Path, default=BENCH / "results")
    p.add_argument("--suffix", default="",
                   help="results file <scale>-<suffix>.json (e.g. final; default <scale>.json)")
    p.add_argument("--bytecode", default="cached", choices=["cached", "env"],
                   help="cached: .pyc compiled once and reused (default); env: as the "
                   "environment is (see bench_env)")
    p.add_argument("--rss-limit-gb", type=float, default=16.0,
                   help="kill a run whose process tree passes this RSS (default 16)")
    a = p.parse_args(argv)
    name = a.scale if a.faults == "none" else f"{a.scale}-faults-{a.faults}"
    tag = name if a.bytecode == "cached" else f"{name}-bytecode-env"
    tag = f"{tag}-{a.suffix}" if a.suffix else tag
    cache = BENCH / ".cache" / name
    t0 = time.time()
    planted = ensure_sample(cache, a.scale, a.faults, a.seed, ROOT)
    rows = planted["rows"]
    print(f"{name}: {sum(rows.values()):,} rows ({rows['dibao_households']:,} 低保 roster "
          f"rows), sample ready in {time.time() - t0:.0f} s", flush=True)
    result = {"scale": a.scale, "faults": a.faults, "seed": a.seed, "period": a.period,
              "added_month": a.added_month, "bytecode": a.bytecode, "machine": machine(),
              "rows": rows,
              "sample_bytes": du(cache / "sample"), "generate": generation_figures(cache),
              "repetitions": []}
    env = bench_env(a.bytecode)
    for i in range(a.repeat):
        print(f"repetition {i + 1}/{a.repeat}", flush=True)
        result["repetitions"].append(
            one_repetition(cache / "sample", cache / "work", a.period, a.added_month, env,
                           a.rss_limit_gb * 1024))
    result["median"] = medians(result["repetitions"])
    a.results.mkdir(parents=True, exist_ok=True)
    out = a.results / f"{tag}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(table(result))
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
