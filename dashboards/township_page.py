"""One page per township (dashboards/townships/<region_code>.html): its figures, its monthly
trends, its row of the reporting-completeness grid and its cross-register findings.

In a city release (indicators.md §9) the sub-regions are the districts; they get the same page.
"""

from __future__ import annotations

from collections.abc import Iterator

import plotly.graph_objects as go

from dashboards import families
from dashboards.charts_social_assistance import NO_MONTHLY, month_labels
from dashboards.fmt import fmt_count, fmt_value, month_zh
from dashboards.html import (
    RURAL,
    URBAN,
    Card,
    Cell,
    Panel,
    chart_of_series,
    render_fragment,
    render_page,
    table,
)
from dashboards.view import ReleaseView
from ingest.labels import DOMAINS, source_zh

BASE = "../"  # from dashboards/townships/ back to dashboards/


def _card(view: ReleaseView, code: str, label: str, indicator: str) -> Card:
    c = view.comparison(indicator, region=code)
    mom, yoy = families.change_words(c, view.row(indicator, region=code))
    return Card(label, fmt_value(view.row(indicator, region=code)),
                f"{view.whole_word} {fmt_value(view.row(indicator))}",
                f"环比 {mom} · 同比 {yoy}" if c else "")


BRANCHES = (("urban", "城市", URBAN), ("rural", "农村", RURAL))


def _persons_figure(x: list[str], ys: list[list]) -> go.Figure:
    fig = go.Figure()
    for (_, name, color), y in zip(BRANCHES, ys, strict=True):
        fig.add_trace(go.Scatter(
            x=x, y=y, name=f"{name}低保", mode="lines+markers", line={"color": color},
            hovertemplate=f"%{{x}} {name}：%{{y:,.0f}} 人<extra></extra>"))
    fig.update_yaxes(title_text="人", tickformat=",", rangemode="tozero")
    return fig


def _funds_figure(x: list[str], ys: list[list]) -> go.Figure:
    fig = go.Figure()
    for (_, name, color), y in zip(BRANCHES, ys, strict=True):
        fig.add_trace(go.Bar(
            x=x, y=y, name=f"{name}低保", marker_color=color,
            hovertemplate=f"%{{x}} {name}：%{{y:,.2f}} 万元<extra></extra>"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="万元", tickformat=",.2f")
    return fig


def trends(view: ReleaseView, code: str) -> list[Panel]:
    """The township's monthly 低保 persons and funds, urban and rural (the figure of every
    township page is laid out once: html.chart_of_series)."""
    x = month_labels(view)
    persons = [view.series("dibao_persons_end", b, code) for b, _, _ in BRANCHES]
    funds = [view.series("dibao_funds", b, code) for b, _, _ in BRANCHES]
    return [Panel("低保保障人数月度走势", f"本{view.part_word}每月在册低保人数。",
                  chart_of_series(_persons_figure, x, persons, "chart-town-persons",
                                  empty=NO_MONTHLY)),
            Panel("低保金月度支出", f"本{view.part_word}每月发放的低保金（万元）。",
                  chart_of_series(_funds_figure, x, funds, "chart-town-funds",
                                  empty=NO_MONTHLY))]


def completeness(view: ReleaseView, code: str) -> Panel:
    comp = view.manifest.completeness
    months = view.months
    rows = []
    for source in sorted(comp):
        got = comp[source].get(code) or {}
        rows.append([Cell(source_zh(source)),
                     *[Cell(fmt_count(got.get(m, 0)), "num" + ("" if got.get(m) else " missing"))
                       for m in months]])
    body = table(["来源", *[month_zh(m) for m in months]], rows, empty="无报送完整性数据")
    return Panel("报送完整性", f"本{view.part_word}每月入库的行数；红色为 0（该月未报送）。", body,
                 wide=True)


def findings(view: ReleaseView, code: str) -> Panel:
    rows = view.domain_rows("findings", code)
    body = families.figures_table(view, rows) if rows else render_fragment(
        "empty", text="本期没有数据比对发现")
    return Panel("数据比对发现", "把两本名册放在一起才看得出的问题，请逐条核实。", body, wide=True)


def render_one(view: ReleaseView, code: str, links: dict[str, str] | None = None) -> str:
    """The township's page; `links` is families.township_links(view, BASE) (made here when
    not given: `pages` makes it once for all)."""
    name = view.townships[code]
    cards = [_card(view, code, "低保保障人数（期末）", "dibao_persons_end"),
             _card(view, code, "城乡低保率", "dibao_coverage_rate"),
             _card(view, code, "受灾人口", "disaster_affected_persons"),
             _card(view, code, "直接经济损失", "disaster_direct_loss")]
    figures = []
    for domain, label in DOMAINS.items():
        rows = [r for r in view.domain_rows(domain, code) if domain != "findings"]
        if rows:
            figures.append(Panel(label, "", families.figures_table(view, rows), wide=True))
    sections = [
        ("月度走势", trends(view, code)),
        (own := f"本{view.part_short}数字",
         figures or [Panel(own, "", render_fragment("empty", text="本期无数据"))]),
        ("报送完整性", [completeness(view, code)]),
        ("数据比对发现", [findings(view, code)]),
    ]
    return render_page(view, name, cards, sections, other=(f"{BASE}overview.html", "← 领导驾驶舱"),
                       base=BASE, links=families.township_links(view, BASE) if links is None
                       else links)


def pages(view: ReleaseView) -> Iterator[tuple[str, str]]:
    """("dashboards/townships/<code>.html", text) for every township of the release, one
    at a time."""
    links = families.township_links(view, BASE)
    for code in view.townships:
        yield f"dashboards/townships/{code}.html", render_one(view, code, links)

