"""Disaster, veteran and target charts of the overview."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboards.charts_social_assistance import NO_MONTHLY, month_labels
from dashboards.fmt import fmt_2, fmt_count
from dashboards.html import ACCENT, RURAL, URBAN, Panel, chart
from dashboards.view import ReleaseView, on_schedule, progress_label, progress_words
from ingest.labels import breakdown_zh


def disaster_timeline(view: ReleaseView) -> Panel:
    x = month_labels(view)
    events = view.series("disaster_events")
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=x, y=events, name="灾害过程数（次）", marker_color=ACCENT,
        text=[fmt_count(v) if v else None for v in events],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{x} 灾害过程：%{y:,.0f} 次<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=x, y=view.series("disaster_affected_persons"), name="受灾人口（人）", yaxis="y2",
        mode="lines+markers", line={"color": URBAN},
        hovertemplate="%{x} 受灾人口：%{y:,.0f} 人<extra></extra>",
    ))
    fig.update_layout(
        yaxis={"title": {"text": "次"}, "rangemode": "tozero", "tickformat": ",d",
               "dtick": 1 if max(filter(None, events), default=0) <= 8 else None},
        yaxis2={"title": {"text": "人"}, "overlaying": "y", "side": "right", "tickformat": ",d",
                "tickmode": "auto", "rangemode": "tozero", "showgrid": False},
    )
    return Panel(
        "灾害过程时间线", "按灾害开始月份统计的灾害过程数（柱）和受灾人口（线）。",
        chart(fig, "chart-disaster-timeline", empty=NO_MONTHLY),
    )


def disaster_losses(view: ReleaseView) -> Panel:
    towns = view.townships
    loss = [view.value("disaster_direct_loss", region=c) for c in towns]
    affected = [view.value("disaster_affected_persons", region=c) for c in towns]
    fig = go.Figure()
    if any(v for v in loss):
        fig.add_trace(go.Bar(
            x=list(towns.values()), y=loss, marker_color="#8e44ad", customdata=affected,
            text=[fmt_2(v) for v in loss], textposition="outside", cliponaxis=False,
            hovertemplate="%{x}<br>直接经济损失：%{y:,.2f} 万元<br>受灾人口：%{customdata:,.0f} 人"
            "<extra></extra>",
        ))
    fig.update_yaxes(title_text="万元", tickformat=",.2f", rangemode="tozero")
    return Panel(
        f"各{view.part_word}灾害损失",
        f"直接经济损失（万元），悬停可见受灾人口，点击柱子打开该{view.part_short}的页面。",
        chart(fig, "chart-disaster-losses", empty="本期无灾害损失"),
    )


def disaster_rates(view: ReleaseView) -> Panel:
    regions = {view.district: view.whole_word, **view.townships} if view.district else {}
    fig = go.Figure()
    for ind, name, color in (
        ("disaster_initial_report_timely_rate", "初报及时率", ACCENT),
        ("disaster_relief_within_12h_rate", "12小时救助到位率", RURAL),
    ):
        y = [view.value(ind, region=c) for c in regions]
        if any(v is not None for v in y):
            fig.add_trace(go.Bar(
                x=list(regions.values()), y=y, name=name, marker_color=color,
                text=[None if v is None else f"{fmt_2(v)}%" for v in y], textposition="outside",
                cliponaxis=False, hovertemplate=f"%{{x}} {name}：%{{y:.2f}}%<extra></extra>",
            ))
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 115], ticksuffix="%", title_text="%")
    return Panel(
        "灾情报送与救助时效", "初报是否在灾害发生 2 小时内报出、救助是否在 12 小时内到位（%）。"
        f"没有灾害的{view.part_short}不计算比率。",
        chart(fig, "chart-disaster-rates", empty="本期无灾害过程"),
        wide=True,
    )


def _by_breakdown(view: ReleaseView, indicator: str) -> tuple[list[str], list]:
    bs = [b for b in view.breakdowns(indicator) if b != "total"]
    return [breakdown_zh(b, indicator) for b in bs], [view.value(indicator, b) for b in bs]


def veterans(view: ReleaseView) -> list[Panel]:
    cats, persons = _by_breakdown(view, "veterans_persons_end")
    bens, funds = _by_breakdown(view, "veteran_funds")
    f1 = go.Figure(go.Bar(
        y=cats, x=persons, orientation="h", marker_color=URBAN,
        text=[fmt_count(v) for v in persons], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}：%{x:,.0f} 人<extra></extra>",
    ))
    f1.update_xaxes(title_text="人", tickformat=",")
    f1.update_yaxes(autorange="reversed")
    f2 = go.Figure(go.Bar(
        y=bens, x=funds, orientation="h", marker_color="#b7950b",
        text=[fmt_2(v) for v in funds], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}：%{x:,.2f} 万元<extra></extra>",
    ))
    f2.update_xaxes(title_text="万元", tickformat=",.2f")
    f2.update_yaxes(autorange="reversed")
    for f in (f1, f2):
        f.update_layout(margin={"l": 140, "r": 50})
    return [Panel(
        "优抚对象（按类别）", "期末在册优抚对象人数。", chart(f1, "chart-veterans-category")
    ), Panel(
        "优抚金发放（按待遇）", "本期发放的优抚金（万元）。", chart(f2, "chart-veterans-benefit")
    )]


def target_label(view: ReleaseView, key: str) -> str:
    ind, _, b = key.partition(":")
    name = view.name(ind)
    return name if b in ("", "total") else f"{name}（{breakdown_zh(b, ind)}）"


def targets(view: ReleaseView) -> tuple[Panel, str | None]:
    """The target chart and the verdict (已实现 / 未实现, None when there are no targets)."""
    keys = view.breakdowns("target_completion_rate")
    rates = [view.value("target_completion_rate", k) for k in keys]
    due, label = float(view.elapsed_pct), progress_label(view.period)
    fig = go.Figure()
    if keys:
        fig.add_trace(go.Bar(
            y=[target_label(view, k) for k in keys], x=rates, orientation="h",
            marker_color=[RURAL if on_schedule(r, view.period) else URBAN for r in rates],
            text=[f"{fmt_2(r)}%" for r in rates], textposition="outside", cliponaxis=False,
            hovertemplate="%{y}：完成 %{x:.2f}%<extra></extra>",
        ))
        fig.add_vline(x=due, line_dash="dash", line_color="#333",
                      annotation_text=f"{label} {due:.0f}%", annotation_position="top")
    fig.update_xaxes(ticksuffix="%", rangemode="tozero", title_text="目标完成率")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(margin={"l": 180, "r": 60})
    reached = all(on_schedule(r, view.period) for r in rates)
    verdict = None if not keys else ("已实现" if reached else "未实现")
    slogan = progress_words(view.period)
    note = f"各项年度目标的本期完成率；虚线为{label}（{due:.0f}%），绿色为达到进度，红色为落后。"
    if verdict:
        note += f"「{slogan}」：{verdict}。"
    height = max(260, 60 + 40 * len(keys))
    body = chart(fig, "chart-targets", height=height, empty="本年度无目标任务")
    return Panel("目标任务完成进度", note, body, wide=True), verdict
