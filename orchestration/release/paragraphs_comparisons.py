"""summary.md's 同比 (indicators.md §6: "summary.md quotes 同比 where it exists"): a table of
the top region's totals that have a value for the same period a year earlier.

Every number is the release's own: 本期 as in indicators.csv, 上年同期 and 同比 as in
comparisons.csv (yoy_pct, already rounded half-up to 2 decimals). Breakdowns are left to
comparisons.csv and the pages, so the draft stays readable; a release without
comparisons.csv, or without a year-earlier value, says so in one line.
"""

from __future__ import annotations

from decimal import Decimal

from dashboards.view import ReleaseView, change_of, figure_text
from ingest.cells import markdown_text

NO_YOY = "本期没有上年同期的可比数据,不作同比。"


def yoy_words(value: Decimal, last_year: Decimal, pct: Decimal | None, value_kind: str) -> str:
    """'同比增长3.20%', '同比下降1.50%', '同比上升1.00个百分点' (a difference: `change_of`) or
    '同比持平' (no change, or one that rounds to 0.00 %): the direction from the two values,
    the size from `change_of` (a difference from −2.00 to −1.00 rose, though its yoy_pct is
    −50 %)."""
    change = change_of(value, last_year, pct, value_kind)
    if value == last_year or change is None or change[0] == 0:
        return "同比持平"
    size, unit = abs(change[0]), change[1]
    if unit == "个百分点":
        return f"同比{'上升' if value > last_year else '下降'}{size:.2f}个百分点"
    return f"同比{'增长' if value > last_year else '下降'}{size:.2f}%"


def yoy_table(view: ReleaseView) -> str:
    """Markdown: | 指标 | 本期 | 上年同期 | 同比 | for each total row of the top region with a
    yoy_pct, in the release's order (indicator code)."""
    if view.top_level == "township":  # no district row: no region to speak for (summary.py)
        return NO_YOY
    lines = []
    for r in view.rows:
        if r.region_code != view.district or r.breakdown != "total":
            continue
        c = view.comparison(r.indicator, region=r.region_code)
        if c is None or c.yoy_pct is None or c.last_year_value is None:
            continue
        unit = markdown_text(r.unit)
        lines.append(f"| {markdown_text(r.indicator_name)} | {r.text} {unit} | "
                     f"{figure_text(c.last_year_value, r.value_kind)} {unit} | "
                     f"{yoy_words(r.value, c.last_year_value, c.yoy_pct, r.value_kind)} |")
    if not lines:
        return NO_YOY
    year_ago = next(c.last_year_period for c in view.comparisons.values() if c.last_year_period)
    return "\n".join([f"与上年同期({markdown_text(year_ago)})相比(分项的同比见 comparisons.csv):",
                      "", "| 指标 | 本期 | 上年同期 | 同比 |", "|---|---:|---:|---|", *lines])
