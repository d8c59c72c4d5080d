"""领导驾驶舱: the overview page of a release."""

from __future__ import annotations

from dashboards import charts_disasters_veterans_targets as dvt
from dashboards import charts_social_assistance as sa
from dashboards import families
from dashboards.fmt import fmt_2, fmt_count, fmt_value
from dashboards.html import Card, render_page
from dashboards.view import ReleaseView, on_schedule, progress_label


def cmp_line(view: ReleaseView, indicator: str, breakdown: str = "total") -> str:
    """'环比 +1.20% · 同比 −3.00%' of the top region's row, '' without comparisons."""
    c = view.comparison(indicator, breakdown)
    if c is None:
        return ""
    mom, yoy = families.change_words(c, view.row(indicator, breakdown))
    return f"环比 {mom} · 同比 {yoy}"



def cards(view: ReleaseView, verdict: str | None) -> list[Card]:
    v, row = view.value, view.row
    keys = view.breakdowns("target_completion_rate")
    reached = sum(1 for k in keys if on_schedule(v("target_completion_rate", k) or 0, view.period))
    return [
        Card("低保保障人数（期末）", fmt_value(row("dibao_persons_end")),
             f"城市 {fmt_count(v('dibao_persons_end', 'urban'))} 人 · "
             f"农村 {fmt_count(v('dibao_persons_end', 'rural'))} 人 · "
             f"{fmt_count(v('dibao_households_end'))} 户", cmp_line(view, "dibao_persons_end")),
        Card("低保金累计支出", fmt_value(row("dibao_funds")),
             f"特困供养金 {fmt_2(v('tekun_funds'))} 万元 · "
             f"临时救助 {fmt_2(v('temp_assist_funds'))} 万元", cmp_line(view, "dibao_funds")),
        Card("城乡低保率", fmt_value(row("dibao_coverage_rate")),
             f"城市 {fmt_value(row('dibao_coverage_rate', 'urban'))} · "
             f"农村 {fmt_value(row('dibao_coverage_rate', 'rural'))}",
             cmp_line(view, "dibao_coverage_rate")),
        Card("受灾人口", fmt_value(row("disaster_affected_persons")),
             f"灾害过程 {fmt_count(v('disaster_events'))} 次 · "
             f"直接经济损失 {fmt_2(v('disaster_direct_loss'))} 万元",
             cmp_line(view, "disaster_affected_persons")),
        Card("优抚对象", fmt_value(row("veterans_persons_end")),
             f"优抚金发放 {fmt_2(v('veteran_funds'))} 万元", cmp_line(view, "veterans_persons_end")),
        Card(f"目标进度（{progress_label(view.period)} {view.elapsed_pct:.0f}%）",
             verdict or "无目标",
             f"{len(keys)} 项目标中 {reached} 项达到进度" if keys else ""),
    ]


def render(view: ReleaseView) -> str:
    target_panel, verdict = dvt.targets(view)
    sections = [
        ("社会救助", [*sa.trends(view), sa.coverage_by_township(view), sa.dynamics(view),
                  sa.gap(view), *families.v2_additions(view, "social_assistance")]),
        ("防灾减灾救灾", [dvt.disaster_timeline(view), dvt.disaster_losses(view),
                    dvt.disaster_rates(view), *families.v2_additions(view, "disasters")]),
        ("优抚安置", [*dvt.veterans(view), *families.v2_additions(view, "veterans")]),
        ("目标任务", [target_panel]),
        *families.sections(view),
    ]
    return render_page(view, "领导驾驶舱", cards(view, verdict), sections,
                       other=("quality.html", "→ 数据质量"), links=families.township_links(view))
