"""Reading the results: dbt node timings from the run log, the floor-vs-mart check, and the
Markdown table the benchmark prints (pasted into docs/benchmarks.md)."""

from __future__ import annotations

import re
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;]*m")
NODE = re.compile(r"^\d+ of \d+ (?:OK created|OK loaded|PASS|WARN|FAIL|ERROR)\s+"
                  r"(?:sql \w+ model |seed file )?(\S+)\s+(?:\.+\s+)?\[.*? in ([0-9.]+)s\]")


def dbt_nodes(log: Path, top: int = 8) -> dict:
    """Per dbt node (model, seed, test) time as dbt reports it; the sum and the slowest."""
    nodes = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        m = NODE.match(ANSI.sub("", line).strip())
        if m:
            nodes.append((m.group(1), float(m.group(2))))
    nodes.sort(key=lambda n: -n[1])
    return {"count": len(nodes), "sum_s": round(sum(t for _, t in nodes), 2),
            "top": nodes[:top]}


def compare_floor(floor: dict, database: Path, period: str) -> dict:
    """How many of the floor's figures equal the published mart's value (±0.0051)."""
    import duckdb

    out = {"roster_rows": floor["roster_rows"], "read_s": floor["read_s"],
           "sql_s": floor["sql_s"], "compared": len(floor["indicators"]), "equal": 0,
           "mismatches": []}
    if not database.exists():
        return out
    con = duckdb.connect(str(database), read_only=True)
    try:
        mart = {(r, b, i): v for r, b, i, v in con.execute(
            "select region_code, breakdown, indicator, value from main.fct_indicators "
            "where period = ? and indicator like 'dibao%'", [period]).fetchall()}
    finally:
        con.close()
    for row in floor["indicators"]:
        key = (row["region_code"], row["breakdown"], row["indicator"])
        want, got = mart.get(key), row["value"]
        if want is not None and got is not None and abs(float(want) - got) <= 0.0051:
            out["equal"] += 1
        elif len(out["mismatches"]) < 5:
            out["mismatches"].append({"key": key, "mart": None if want is None
                                      else float(want), "floor": got})
    return out


def _mb(v) -> str:
    return "–" if v is None else f"{v:,.0f}"


def table(result: dict) -> str:
    m = result["median"]
    f, a, fl = m["full"], m["added"], m["floor"]
    reps = len(result["repetitions"])
    lines = [
        f"{result['scale']} ({sum(result['rows'].values()):,} rows, "
        f"{result['rows']['dibao_households']:,} 低保 roster rows; median of {reps})",
        "",
        f"| | (1) full run {result['period']} | (2) + {result['added_month']} | (3) floor |",
        "|---|---:|---:|---:|",
        f"| wall s | {f['wall_s']:.1f} | {a['wall_s']:.1f} | {fl['wall_s']:.1f} |",
        f"| CPU s (user+sys) | {f['cpu_s']:.1f} | {a['cpu_s']:.1f} | {fl['cpu_s']:.1f} |",
        f"| peak RSS MB, largest process | {_mb(f['max_rss_mb'])} | {_mb(a['max_rss_mb'])} "
        f"| {_mb(fl['max_rss_mb'])} |",
        f"| peak RSS MB, process tree (sampled) | {_mb(f['tree_peak_rss_mb'])} | "
        f"{_mb(a['tree_peak_rss_mb'])} | {_mb(fl['tree_peak_rss_mb'])} |",
        "",
        f"ratio (1)/(3) = {m['ratio_full_to_floor']}; (2)/(1) = "
        f"{100 * m['added_share_of_full']:.1f} %",
        "",
        "| phase | (1) wall s | (1) CPU s | (1) peak MB | (2) wall s | (2) CPU s | (2) peak MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for p, x in f["phases"].items():
        y = a["phases"][p]
        lines.append(f"| {p} | {x['wall_s']:.1f} | {x['cpu_s']:.1f} | {_mb(x['peak_rss_mb'])} "
                     f"| {y['wall_s']:.1f} | {y['cpu_s']:.1f} | {_mb(y['peak_rss_mb'])} |")
    return "\n".join(lines)
