"""summary.md: the figures paragraphs of a 上半年工作总结, drafted from the indicator rows.

Every figure is a published value, formatted exactly as in indicators.csv (counts whole,
everything else with 2 decimals); nothing is summed or recomputed here. A missing figure
(e.g. a ratio whose denominator was 0, so no row) is left out of its sentence, or shown as
"—" in the township table.
"""

from __future__ import annotations

import polars as pl

from dashboards.view import Manifest, ReleaseView, period_words
from orchestration.release import paragraphs as p
from orchestration.release import paragraphs_assistance as pa
from orchestration.release import paragraphs_comparisons as pc
from orchestration.release import paragraphs_social_affairs as sa
from orchestration.release import paragraphs_welfare
from orchestration.release.rows import canonical_period, release_rows

NUMERALS = {**dict(enumerate("零一二三四五六七八九十")), 11: "十一", 12: "十二", 13: "十三",
            14: "十四", 15: "十五"}


def render_summary(indicators: pl.DataFrame, manifest: dict) -> str:
    """Chinese Markdown draft of the summary's figures paragraphs for the manifest's period."""
    m = Manifest.model_validate(manifest)
    return summary_from_view(ReleaseView(m, release_rows(indicators, canonical_period(m.period))))


def summary_from_view(view: ReleaseView) -> str:
    """summary.md of the release (the period's rows and manifest of the view)."""
    period, manifest = view.period, view.manifest
    f = p.Figures(view.rows)
    pw = period_words(period)
    district = f.names.get(f.district, "全区") if f.district else "全区"
    sections = [
        ("城乡最低生活保障", [*p.dibao(f, pw), pa.dibao_members(f, pw), p.dynamics(f, pw),
                        p.gaps_lowincome(f)]),
        ("特困人员救助供养和临时救助", [*p.tekun_temp(f, pw), pa.tekun_areas(f, pw)]),
        ("自然灾害救助", [p.disasters(f, pw), pa.relief_goods(f, pw)]),
        ("优抚安置", [p.veterans(f, pw), pa.soldiers(f, pw)]),
        ("社会事务", sa.social_affairs(f, pw, period)),
        *paragraphs_welfare.sections(f, pw),
        ("目标任务完成情况", [p.targets(f, period)]),
        ("各乡镇(街道)低保情况", [p.townships(f)]),
        ("主要指标同比情况", [pc.yoy_table(view)]),
        ("数据说明", [p.quality_notes(manifest)]),
    ]
    out = [
        f"# {district}{pw}民政工作主要数据(初稿)",
        "",
        "> 本稿由系统根据通过质量检查的指标自动生成,所有数字均取自同一发布批次的"
        " indicators.csv,供撰写工作总结时核对引用;缺少的数字(如分母为零)未写入。",
    ]
    if f.district is None:
        out += ["", "> 注意:本期没有区级指标行,正文无法给出全区数字。"]
    for n, (title, paras) in enumerate(sections, start=1):
        body = [x for x in paras if x]
        out += ["", f"## {NUMERALS[n]}、{title}", ""]
        out.append("\n\n".join(body) if body else "本期无相关数据。")
    return "\n".join(out) + "\n"
