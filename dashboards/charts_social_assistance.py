"""Social-assistance charts of the overview: trends, 低保率 by township, dynamics, urban–rural gap."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboards.fmt import fmt_2, fmt_count, month_zh
from dashboards.html import ACCENT, RURAL, TOTAL, URBAN, Panel, chart
from dashboards.view import ReleaseView
from ingest.labels import breakdown_zh

NO_MONTHLY = "无月度数据"


def month_labels(view: ReleaseView) -> list[str]:
    ms = view.monthly_months
    with_year = len({m[:4] for m in ms}) > 1
    return [month_zh(m, with_year=with_year) for m in ms]


def _bar(x, y, name, color, unit, *, decimals=0, **kw) -> go.Bar:
    f = ",.2f" if decimals else ",.0f"
    text = [None if v is None else (fmt_2(v) if decimals else fmt_count(v)) for v in y]
    return go.Bar(
        x=x, y=y, name=name, marker_color=color, text=text, textposition="outside",
        cliponaxis=False, hovertemplate=f"%{{x}} {name}：%{{y:{f}}} {unit}<extra></extra>", **kw,
    )


def trends(view: ReleaseView) -> list[Panel]:
    x = month_labels(view)
    persons = go.Figure()
    funds = go.Figure()
    for b, name, color in (("urban", "城市", URBAN), ("rural", "农村", RURAL)):
        persons.add_trace(go.Scatter(
            x=x, y=view.series("dibao_persons_end", b), name=f"{name}低保", mode="lines+markers",
            line={"color": color}, hovertemplate=f"%{{x}} {name}：%{{y:,.0f}} 人<extra></extra>",
        ))
        funds.add_trace(_bar(x, view.series("dibao_funds", b), f"{name}低保", color, "万元",
                             decimals=2))
    persons.update_yaxes(title_text="人", tickformat=",", rangemode="tozero")
    funds.update_layout(barmode="group")
    funds.update_yaxes(title_text="万元", tickformat=",.2f")
    return [Panel(
        "低保保障人数月度走势", "每月在册低保人数（城市低保、农村低保），看保障规模是否平稳。",
        chart(persons, "chart-trend-persons", empty=NO_MONTHLY),
    ), Panel(
        "低保金月度支出", "每月发放的低保金（万元），城乡分列。",
        chart(funds, "chart-trend-funds", empty=NO_MONTHLY),
    )]


def coverage_by_township(view: ReleaseView) -> Panel:
    towns = view.townships
    names = list(towns.values())
    fig = go.Figure()
    for b, name, color in (("urban", "城市低保率", URBAN), ("rural", "农村低保率", RURAL)):
        y = [view.value("dibao_coverage_rate", b, c) for c in towns]
        fig.add_trace(_bar(names, y, name, color, "%", decimals=2))
    whole, part = view.whole_word, view.part_short
    for b, name, color in (("urban", f"{whole}城市", URBAN), ("rural", f"{whole}农村", RURAL)):
        v = view.value("dibao_coverage_rate", b)
        if v is not None:
            fig.add_hline(y=v, line_dash="dash", line_color=color,
                          annotation_text=f"{name} {fmt_2(v)}%", annotation_position="top right")
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="%", ticksuffix="%", rangemode="tozero")
    return Panel(
        f"各{view.part_word}低保率", f"低保人数占常住人口的比例，城乡并列；虚线为{whole}水平。"
        f"明显高于或低于{whole}的{part}值得关注（应保尽保、错保）。点击柱子打开该{part}的页面。",
        chart(fig, "chart-coverage", height=380), wide=True,
    )


DYNAMICS = (
    ("dibao_new_households", "新增", ACCENT),
    ("dibao_exited_households", "退出", "#7f7f7f"),
    ("dibao_raised_households", "提标", "#2ca02c"),
    ("dibao_lowered_households", "降标", "#ff7f0e"),
)


def dynamics(view: ReleaseView) -> Panel:
    x = month_labels(view)
    fig = go.Figure()
    for ind, name, color in DYNAMICS:
        fig.add_trace(_bar(x, view.series(ind), name, color, "户"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="户", tickformat=",", rangemode="tozero")
    totals = "，".join(f"{n} {fmt_count(view.value(i))} 户" for i, n, _ in DYNAMICS)
    return Panel(
        "低保动态管理（按月）", f"每月新增、退出、提标、降标的户数。本期合计：{totals}。",
        chart(fig, "chart-dynamics", empty=NO_MONTHLY), wide=True,
    )


def gap(view: ReleaseView) -> Panel:
    v = view.value
    titles = (
        f"低保标准（城乡标准比 {fmt_2(v('gap_standard_ratio'))} 倍）",
        f"低保率（差距 {fmt_2(v('gap_coverage_pp'))} 个百分点）",
        f"月人均补差（城乡比 {fmt_2(v('gap_subsidy_ratio'))} 倍）",
    )
    fig = make_subplots(rows=1, cols=3, subplot_titles=titles, horizontal_spacing=0.09)
    std = [(b, breakdown_zh(b)) for b in ("city", "town", "rural")]
    ur = [(b, breakdown_zh(b)) for b in ("urban", "rural")]
    colors = {"city": URBAN, "urban": URBAN, "town": TOTAL, "rural": RURAL}
    for col, (ind, cats, unit) in enumerate(
        (("dibao_standard", std, "元/人·月"), ("dibao_coverage_rate", ur, "%"),
         ("dibao_avg_subsidy", ur, "元")), start=1,
    ):
        y = [v(ind, b) for b, _ in cats]
        if all(val is None for val in y):
            continue
        fig.add_trace(go.Bar(
            x=[n for _, n in cats], y=y, marker_color=[colors[b] for b, _ in cats],
            text=[fmt_2(val) for val in y], textposition="outside", cliponaxis=False,
            showlegend=False, hovertemplate=f"%{{x}}：%{{y:,.2f}} {unit}<extra></extra>",
        ), row=1, col=col)
        fig.update_yaxes(title_text=unit, rangemode="tozero", row=1, col=col)
    fig.update_annotations(font_size=12)
    return Panel(
        "城乡差距", f"城市与农村在低保标准、覆盖面和补差水平上的差距（{view.whole_word}）。"
        "比值越接近 1、差距越接近 0，城乡越均衡。",
        chart(fig, "chart-gap", height=330), wide=True,
    )
