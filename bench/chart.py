"""Chart of run time against rows from bench/results/*.json (plotly).

    .venv/bin/python bench/chart.py [--png docs/benchmarks_time_vs_rows.png] [--set final]

Writes the interactive page (plotly.js inlined, works offline) to
bench/.cache/benchmarks_time_vs_rows.html and, when Chromium is installed, a PNG
screenshot of it (the PNG is what docs/benchmarks.md shows). One result per scale: the file
``<scale>-<set>.json`` (default set ``final``; ``--set ""`` takes ``<scale>.json``, the first
measurements). Unmeasured scales given with --extrapolate SCALE=ROWS:FULL_S:ADDED_S are
drawn as open markers.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SERIES = (("full", "(1) full run 2025H1"), ("added", "(2) one added month (2025-07)"),
          ("floor", "(3) floor: readers + one SQL query"))


def load(results: Path, which: str = "final") -> list[dict]:
    out = []
    for scale in ("district", "city", "province"):
        p = results / (f"{scale}-{which}.json" if which else f"{scale}.json")
        if not p.exists():
            continue
        r = json.loads(p.read_text(encoding="utf-8"))
        if r.get("faults") == "none" and r.get("bytecode") == "cached":
            out.append(r)
    return sorted(out, key=lambda r: sum(r["rows"].values()))


def figure(results: list[dict], extrapolated: list[tuple[str, int, float, float]]):
    import plotly.graph_objects as go

    fig = go.Figure()
    for key, label in SERIES:
        xs = [sum(r["rows"].values()) for r in results]
        ys = [r["median"][key]["wall_s"] for r in results]
        text = [r["scale"] for r in results]
        fig.add_trace(go.Scatter(x=xs, y=ys, text=text, name=label, mode="lines+markers+text",
                                 textposition="top left"))
    for i, (scale, rows, full, added) in enumerate(extrapolated):
        fig.add_trace(go.Scatter(
            x=[rows, rows], y=[full, added], text=[f"{scale} (extrapolated)", ""],
            mode="markers+text", textposition="middle left", showlegend=i == 0,
            name="extrapolated, not run", marker={"symbol": "circle-open", "size": 12}))
    fig.update_layout(
        title="civstat run: wall time against input rows (2-core box)",
        xaxis={"title": "rows in the inbox (all 14 sources)", "type": "log"},
        yaxis={"title": "wall time, s", "type": "log"},
        width=1000, height=600, legend={"x": 0.01, "y": 0.99})
    return fig


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="time against rows chart")
    p.add_argument("--results", type=Path, default=BENCH / "results")
    p.add_argument("--png", type=Path, default=BENCH.parent / "docs" /
                   "benchmarks_time_vs_rows.png")
    p.add_argument("--set", dest="which", default="final",
                   help="which result of each scale: <scale>-<set>.json (default final)")
    p.add_argument("--extrapolate", action="append", default=[],
                   help="SCALE=ROWS:FULL_S:ADDED_S, e.g. province=25200000:5400:4000")
    a = p.parse_args(argv)
    extra = []
    for e in a.extrapolate:
        scale, nums = e.split("=")
        rows, full, added = nums.split(":")
        extra.append((scale, int(rows), float(full), float(added)))
    fig = figure(load(a.results, a.which), extra)
    html = BENCH / ".cache" / "benchmarks_time_vs_rows.html"
    html.parent.mkdir(parents=True, exist_ok=True)
    fig.write_html(html, include_plotlyjs=True, full_html=True,
                   config={"displayModeBar": False})
    print(f"chart: {html}")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", "--virtual-time-budget=5000",
                        "--window-size=1000,600", f"--screenshot={a.png.resolve()}",
                        html.resolve().as_uri()],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"chart: {a.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
