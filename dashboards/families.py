"""The v2 families on the overview (社会事务, 社会福利, 医疗救助, 数据比对发现), from rows by domain.

A section appears only when the release has rows of its domain (indicators.md §5a–5c). Each
shows the top region's figures (with 环比/同比 when the release has comparisons) and, where the
family is published per township, a township table whose rows lead to the township pages.
"""

from __future__ import annotations

from dashboards.fmt import fmt_2, fmt_value
from dashboards.html import Cell, Panel, table
from dashboards.safe import plot_text
from dashboards.view import Comparison, ReleaseView, Row, change_of
from ingest.labels import DOMAINS, breakdown_zh

FAMILIES = ("social_affairs", "welfare", "medical_assistance", "findings")


def change_words(c: Comparison | None, row: Row | None = None) -> tuple[str, str]:
    """('+1.20%', '−3.00%') of a comparison (环比, 同比), or of a difference's row in points
    ('+1.00个百分点', `view.change_of`); '—' where the earlier value is missing."""
    def said(earlier, pct) -> str:
        change = change_of(row.value, earlier, pct, row.value_kind) if row is not None else (
            None if pct is None else (pct, "%"))
        if change is None:
            return "—"
        x, unit = change
        return f"{'+' if x > 0 else ''}{fmt_2(float(x))}{unit}"
    if c is None:
        return "—", "—"
    return said(c.previous_value, c.change_pct), said(c.last_year_value, c.yoy_pct)


def town_href(code: str, base: str = "") -> str:
    return f"{base}townships/{code}.html"


def township_links(view: ReleaseView, base: str = "") -> dict[str, str]:
    """Township name → its page (the bars of the township charts are named by the township,
    escaped as the charts show it: dashboards/safe.py)."""
    return {plot_text(name): town_href(code, base) for code, name in view.townships.items()}


def figures_table(view: ReleaseView, rows: list[Row]) -> object:
    """One line per indicator of rows of one region: 指标 | 合计 | 分项 | 环比 | 同比
    (环比/同比 of the total, or of the first breakdown when there is no total)."""
    by: dict[str, list[Row]] = {}
    for r in rows:
        by.setdefault(r.indicator, []).append(r)
    out = []
    for rs in by.values():
        head = next((r for r in rs if r.breakdown == "total"), rs[0])
        rest = "；".join(f"{breakdown_zh(r.breakdown, r.indicator)} {fmt_value(r)}"
                        for r in rs if r is not head)
        mom, yoy = change_words(view.comparison(head.indicator, head.breakdown, head.region_code),
                                head)
        label = head.indicator_name + ("" if head.breakdown == "total"
                                       else f"（{breakdown_zh(head.breakdown, head.indicator)}）")
        out.append([Cell(label, sub=head.indicator, small=True), Cell(fmt_value(head), "num"),
                    Cell(rest or "—"), Cell(mom, "num"), Cell(yoy, "num")])
    return table(["指标", "本期", "分项", "环比", "同比"], out,
                 cols=["26%", "14%", "40%", "10%", "10%"])


def township_table(view: ReleaseView, domain: str, base: str = "") -> object | None:
    """乡镇 × the domain's indicators (total breakdown); None when it has no township rows."""
    towns = view.townships
    rows = [r for r in view.rows if r.domain == domain and r.region_code in towns
            and r.breakdown == "total"]
    indicators = sorted({r.indicator for r in rows})
    if not indicators:
        return None
    by = {(r.region_code, r.indicator): r for r in rows}
    body = [[Cell(name, href=town_href(code, base)),
             *[Cell(fmt_value(by.get((code, i))), "num") for i in indicators]]
            for code, name in towns.items()]
    return table([view.part_word, *[view.name(i) for i in indicators]], body)


def sections(view: ReleaseView) -> list[tuple[str, list[Panel]]]:
    out = []
    for domain in FAMILIES:
        if not view.has_domain(domain):
            continue
        name = DOMAINS[domain]
        panels = [Panel(f"{name}：{view.district_name or view.whole_word}", "本期数值；环比为与上期相比，"
                        "同比为与上年同期相比（无上期数据或上期为 0 时为 —）。",
                        figures_table(view, view.domain_rows(domain)), wide=True)]
        towns = township_table(view, domain)
        if towns is not None:
            part = view.part_short
            panels.append(Panel(f"{name}：各{view.part_word}", f"点击{part}名称查看该{part}的全部数字。",
                                towns, wide=True))
        out.append((name, panels))
    return out


# indicators v2 §2–§4: the figures data contract v2 adds to the v1 families, shown as a table
# in their family's section of the overview (the v1 charts stay as they are)
V2_ADDITIONS = {
    "social_assistance": ("dibao_members_end", "dibao_raised_persons", "dibao_lowered_persons",
                          "dibao_new_amount", "dibao_exited_amount", "dibao_raised_amount",
                          "dibao_lowered_amount", "dibao_temp_subsidy_funds",
                          "tekun_to_dibao_persons"),
    "disasters": ("disaster_relief_households", "disaster_relief_quilts",
                  "disaster_relief_clothes", "disaster_relief_grain", "disaster_officers_active"),
    "veterans": ("soldiers_placed",),
}


def v2_additions(view: ReleaseView, domain: str) -> list[Panel]:
    """One panel: the v2 figures of a v1 family for the top region, [] when the release has
    none of them (a v1 inbox)."""
    wanted = V2_ADDITIONS.get(domain, ())
    rows = [r for r in view.domain_rows(domain) if r.indicator in wanted]
    if not rows:
        return []
    return [Panel(f"{DOMAINS[domain]}：补充指标", "数据契约 v2 增加的指标（本期数值，环比、同比）。",
                  figures_table(view, rows), wide=True)]
