"""Roll-up time and peak memory (docs/benchmarks.md, "Roll-up").

    .venv/bin/python bench/rollup_bench.py --scale city      # 100 district releases → a city
    .venv/bin/python bench/rollup_bench.py --scale province  # 20 city releases → a province

Generates small synthetic releases with the real file layout (written by the project's own
release writer, pages off: a roll-up never reads a child's pages), every catalogue indicator
and breakdown for the child and `--townships` sub-regions each, consistent rates (numerator
and denominator), then measures `civstat rollup` (the Dagster job, as the 市局 runs it) with
GNU time (`/usr/bin/time -v`): wall clock and maximum resident set size. Not a test.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orchestration.release import write_release  # noqa: E402

P = "2025H1"
LEVEL_WORD = {"city": "地市", "district": "区县", "province": "省"}


def catalogue() -> list[dict]:
    with open(ROOT / "dbt_project/seeds/indicator_catalogue.csv", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def rows_for(code: str, name: str, level: str, rng: random.Random, cat: list[dict]) -> list[dict]:
    out = []
    for c in cat:
        bds = ["dibao_persons_end:total"] if c["indicator"] == "target_completion_rate" \
            else c["breakdowns"].split("|")
        if c["district_only"] == "true" and level == "township":
            continue
        for bd in bds:
            kind = c["value_kind"]
            num = den = None
            if kind == "count":
                value = rng.randint(0, 5000)
            elif kind in ("sum", "standard", "difference"):
                value = round(rng.uniform(0, 900), 2)
            else:
                den = rng.randint(100, 200000)
                num = rng.randint(0, den // 10)
                value = round(num / den * (100 if kind == "rate" else 1), 2)
            out.append({"period": P, "region_code": code, "region_name": name,
                        "region_level": level, "indicator": c["indicator"],
                        "indicator_name": c["indicator_name"], "domain": c["domain"],
                        "breakdown": bd, "value": value, "unit": c["unit"], "value_kind": kind,
                        "numerator": num, "denominator": den})
    return out


def generate(out: Path, scale: str, children: int, subs: int, seed: int = 7) -> tuple[list, Path]:
    """(child release folders, regions file) under `out`."""
    rng, cat = random.Random(seed), catalogue()
    top_level, child_level, sub_level = (("city", "district", "township") if scale == "city"
                                         else ("province", "city", "district"))
    top = "320000000000" if scale == "province" else "320100000000"
    lines = ["区划代码,名称,层级,上级代码", f"{top},合成{top_level},{LEVEL_WORD[top_level]},"]
    folders = []
    for i in range(1, children + 1):
        code = f"32{i:02d}00000000" if scale == "province" else f"32{i + 100:04d}000000"
        lines.append(f"{code},单位{i},{LEVEL_WORD[child_level]},{top}")
        rows = rows_for(code, f"单位{i}", child_level, rng, cat)
        for j in range(1, subs + 1):
            sub = (code[:6] + f"{j:03d}000") if scale == "city" else (code[:4] + f"{j:02d}000000")
            rows += rows_for(sub, f"下级{i}-{j}", sub_level, rng, cat)
        manifest = {"period": P, "run_id": f"run-{i}", "created_at": "2025-07-08T09:00:00+08:00",
                    "published_by": f"单位{i}数据科", "checks": []}
        write_release(out / f"child{i}" / "published", P, rows, manifest, pages=False)
        folders.append(out / f"child{i}" / "published" / P)
    regions = out / "regions.csv"
    regions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folders, regions


def measure(cmd: list[str]) -> dict:
    t0 = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    return {"exit": run.returncode, "wall_s": round(wall, 1),
            "peak_rss_mb": round(int(rss[1]) / 1024) if rss else None}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", choices=["city", "province"], default="city")
    ap.add_argument("--children", type=int, help="default: 100 districts / 20 cities")
    ap.add_argument("--townships", type=int, default=10, help="sub-regions per child release")
    args = ap.parse_args()
    n = args.children or (100 if args.scale == "city" else 20)
    with tempfile.TemporaryDirectory(prefix="rollup-bench-") as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        folders, regions = generate(tmp / "in", args.scale, n, args.townships)
        gen = time.perf_counter() - t0
        cmd = [str(ROOT / ".venv/bin/civstat"), "rollup", "--regions", str(regions),
               "--warehouse", str(tmp / "out"), "--period", P]
        for f in folders:
            cmd += ["--release", str(f)]
        result = measure(cmd)
        rows = sum(1 for _ in open(tmp / "out/published" / P / "indicators.csv")) - 1 \
            if result["exit"] == 0 else 0
    print(f"{args.scale}: {n} child releases ({args.townships} sub-regions each), generated in "
          f"{gen:.1f} s; civstat rollup: exit {result['exit']}, wall {result['wall_s']} s, "
          f"peak RSS {result['peak_rss_mb']} MB, {rows} rows published")
    return 0


if __name__ == "__main__":
    sys.exit(main())
