"""The page shell: header with period and run id, cards, tables, chart panels, print CSS."""

from __future__ import annotations

import html

import plotly.graph_objects as go

from dashboards.data import Release
from dashboards.fmt import esc, period_zh

FONT = '"Noto Sans CJK SC", sans-serif'
PLOTLY_JS = "plotly.min.js"
CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True}
URBAN, RURAL, TOTAL, ACCENT = "#c0392b", "#2e7d32", "#34495e", "#1f77b4"
PRINT_WIDTH_PX = 680  # A4 (210 mm) minus 2 × 12 mm margins, with some slack

CSS = """
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif;
  margin: 0; background: #f3f4f6; color: #1f2933; font-size: 14px; }
header { background: #9b1c1c; color: #fff; padding: 12px 20px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header .meta { font-size: 13px; opacity: .95; }
header .meta span { margin-right: 18px; white-space: nowrap; }
nav { margin-top: 6px; font-size: 13px; }
nav a { color: #fff; margin-right: 14px; }
main { max-width: 1200px; margin: 0 auto; padding: 14px; }
h2 { font-size: 17px; margin: 18px 0 8px; border-left: 4px solid #9b1c1c; padding-left: 8px; }
h3 { font-size: 15px; margin: 2px 0 2px; }
.note { color: #52606d; font-size: 12px; margin: 0 0 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(175px, 1fr)); gap: 10px; }
.card { background: #fff; border-radius: 6px; padding: 10px 12px; border-top: 4px solid #9b1c1c; }
.card .label { font-size: 13px; color: #52606d; }
.card .value { font-size: 24px; font-weight: 700; margin: 2px 0; white-space: nowrap; }
.card .sub { font-size: 12px; color: #52606d; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.panel { background: #fff; border-radius: 6px; padding: 10px; min-width: 0; }
.panel.wide { grid-column: 1 / -1; }
.empty { height: 120px; display: flex; align-items: center; justify-content: center;
  color: #7b8794; background: #f8f9fa; border: 1px dashed #cbd2d9; font-size: 15px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; background: #fff; }
th, td { border: 1px solid #d9dee3; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eef1f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 10px; word-break: break-all;
  min-width: 210px; }
.ok { color: #1e7b34; font-weight: 600; } .bad { color: #b42318; font-weight: 600; }
.waived { color: #b25e09; font-weight: 600; }
details summary { cursor: pointer; color: #1f5f99; margin: 4px 0; }
footer { color: #7b8794; font-size: 11px; text-align: center; padding: 12px; }
@media print {
  body { background: #fff; font-size: 11px; }
  header { background: #fff; color: #000; border-bottom: 2px solid #9b1c1c; padding: 0 0 4px; }
  nav, .modebar-container { display: none !important; }
  main { max-width: none; padding: 0; }
  .grid { display: block; }
  .panel, .card, tr { break-inside: avoid; page-break-inside: avoid; }
  .panel { padding: 0; margin-bottom: 4mm; }
  .cards { grid-template-columns: repeat(3, 1fr); }
  h2 { break-after: avoid; page-break-after: avoid; }
}
"""

# Charts follow the window on screen; for printing they are narrowed to the A4 text width.
PRINT_JS = """
(function () {
  function plots() { return document.querySelectorAll('.js-plotly-plot'); }
  window.addEventListener('beforeprint', function () {
    plots().forEach(function (gd) { Plotly.relayout(gd, {width: PRINT_WIDTH}); });
  });
  window.addEventListener('afterprint', function () {
    plots().forEach(function (gd) { Plotly.relayout(gd, {width: null, autosize: true}); });
  });
})();
""".replace("PRINT_WIDTH", str(PRINT_WIDTH_PX))


def _filled(x) -> bool:
    if isinstance(x, list | tuple):
        return any(_filled(y) for y in x)
    return x is not None


def has_data(fig: go.Figure) -> bool:
    for t in fig.data:
        for attr in ("y", "x", "z", "values", "value"):
            v = getattr(t, attr, None)
            if v is None or isinstance(v, str):
                continue
            if not hasattr(v, "__len__") or any(_filled(x) for x in v):
                return True
    return False


def chart(fig: go.Figure, div_id: str, *, height: int = 340, empty: str = "本期无数据") -> str:
    """One chart as an HTML fragment (plotly.js is loaded once by the page)."""
    if not has_data(fig):
        return f'<div class="empty" id="{div_id}">{html.escape(empty)}</div>'
    fig.update_layout(
        font={"family": FONT, "size": 12},
        separators=".,",
        height=height,
        template="plotly_white",
        margin={"l": 60, "r": 20, "t": 30, "b": 50},
        legend={"orientation": "h", "y": 1.12, "x": 0},
        hoverlabel={"font": {"family": FONT}},
    )
    return fig.to_html(
        include_plotlyjs=False,
        full_html=False,
        div_id=div_id,
        config=CONFIG,
        default_width="100%",
        default_height=f"{height}px",
    )


def panel(title: str, note: str, body: str, *, wide: bool = False) -> str:
    cls = "panel wide" if wide else "panel"
    return (
        f'<section class="{cls}"><h3>{html.escape(title)}</h3>'
        f'<p class="note">{html.escape(note)}</p>{body}</section>'
    )


def card(label: str, value: str, sub: str = "") -> str:
    return (
        f'<div class="card"><div class="label">{html.escape(label)}</div>'
        f'<div class="value">{html.escape(value)}</div><div class="sub">{html.escape(sub)}</div></div>'
    )


def table(headers: list[str], rows: list[list[tuple[str, str]]], *, empty: str = "无") -> str:
    """rows: cells as (css class, already-escaped HTML)."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    if not rows:
        return f'<table><tr>{head}</tr><tr><td colspan="{len(headers)}">{empty}</td></tr></table>'
    body = "".join(
        "<tr>" + "".join(f'<td class="{c}">{v}</td>' for c, v in r) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page(release: Release, title: str, body: str, *, other: tuple[str, str]) -> str:
    m = release.manifest
    district = release.table.regions().get(release.district or "", "")
    heading = f"{district}民政统计 · {title}" if district else f"民政统计 · {title}"
    meta = [
        f"数据期：{period_zh(release.period)}（{release.period}）",
        f"运行编号：{m['run_id']}",
        f"生成时间：{m.get('created_at') or '—'}",
        f"发布人：{m.get('published_by') or '—'}",
    ]
    spans = "".join(f"<span>{esc(x)}</span>" for x in meta)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(heading)} {esc(release.period)}</title>
<style>{CSS}</style>
<script src="{PLOTLY_JS}"></script>
</head><body>
<header><h1>{esc(heading)}</h1><div class="meta">{spans}</div>
<nav><a href="{other[0]}">{html.escape(other[1])}</a></nav></header>
<main>{body}</main>
<footer>数据期 {esc(release.period)} · 运行编号 {esc(m["run_id"])} ·
本页数字全部取自本次发布的指标表（indicators.csv），不读取实时数据库。</footer>
<script>{PRINT_JS}</script>
</body></html>
"""
