"""领导驾驶舱: the overview page of a release."""

from __future__ import annotations

from dashboards import charts_assist as a
from dashboards import charts_other as o
from dashboards.data import Release
from dashboards.fmt import elapsed_share, fmt_2, fmt_count, fmt_value
from dashboards.html import card, page


def cards(release: Release, verdict: str | None) -> str:
    v = release.value
    n_targets = len(release.table.breakdowns("target_completion_rate"))
    due = elapsed_share(release.period)
    reached = sum(
        1
        for k in release.table.breakdowns("target_completion_rate")
        if (v("target_completion_rate", k) or 0) >= due
    )
    return '<div class="cards">' + "".join((
        card("低保保障人数（期末）", fmt_value(v("dibao_persons_end"), "人"),
             f"城市 {fmt_count(v('dibao_persons_end', 'urban'))} 人 · "
             f"农村 {fmt_count(v('dibao_persons_end', 'rural'))} 人 · "
             f"{fmt_count(v('dibao_households_end'))} 户"),
        card("低保金累计支出", fmt_value(v("dibao_funds"), "万元"),
             f"特困供养金 {fmt_2(v('tekun_funds'))} 万元 · "
             f"临时救助 {fmt_2(v('temp_assist_funds'))} 万元"),
        card("城乡低保率", fmt_value(v("dibao_coverage_rate"), "%"),
             f"城市 {fmt_value(v('dibao_coverage_rate', 'urban'), '%')} · "
             f"农村 {fmt_value(v('dibao_coverage_rate', 'rural'), '%')}"),
        card("受灾人口", fmt_value(v("disaster_affected_persons"), "人"),
             f"灾害过程 {fmt_count(v('disaster_events'))} 次 · "
             f"直接经济损失 {fmt_2(v('disaster_direct_loss'))} 万元"),
        card("优抚对象", fmt_value(v("veterans_persons_end"), "人"),
             f"优抚金发放 {fmt_2(v('veteran_funds'))} 万元"),
        card(f"目标进度（时间进度 {due:.0f}%）", verdict or "无目标",
             f"{n_targets} 项目标中 {reached} 项达到进度" if n_targets else ""),
    )) + "</div>"


def render(release: Release) -> str:
    target_panel, verdict = o.targets(release)
    body = "".join((
        cards(release, verdict),
        "<h2>社会救助</h2>",
        '<div class="grid">',
        a.trends(release),
        a.coverage_by_township(release),
        a.dynamics(release),
        a.gap(release),
        "</div><h2>防灾减灾救灾</h2>",
        '<div class="grid">',
        o.disaster_timeline(release),
        o.disaster_losses(release),
        o.disaster_rates(release),
        "</div><h2>优抚安置</h2>",
        '<div class="grid">',
        o.veterans(release),
        "</div><h2>目标任务</h2>",
        '<div class="grid">',
        target_panel,
        "</div>",
    ))
    return page(release, "领导驾驶舱", body, other=("quality.html", "→ 数据质量"))
