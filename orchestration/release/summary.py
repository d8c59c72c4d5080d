"""summary.md: the figures paragraphs of a 上半年工作总结, drafted from the indicator rows.

Every figure is a published value, formatted exactly as in indicators.csv (counts whole,
everything else with 2 decimals); nothing is summed or recomputed here. A missing figure
(e.g. a ratio whose denominator was 0, so no row) is left out of its sentence, or shown as
"—" in the township table.
"""

from __future__ import annotations

import polars as pl

from dashboards.view import Manifest, ReleaseView, on_schedule
from ingest.labels import breakdown_zh
from orchestration.release import paragraphs as p
from orchestration.release.rows import canonical_period, period_words, release_rows

MISSING = "—"
TOWNSHIP_COLUMNS = [
    ("期末保障户数", "dibao_households_end", "total"),
    ("期末保障人数", "dibao_persons_end", "total"),
    ("低保率(%)", "dibao_coverage_rate", "total"),
    ("城市低保率(%)", "dibao_coverage_rate", "urban"),
    ("农村低保率(%)", "dibao_coverage_rate", "rural"),
]


def render_summary(indicators: pl.DataFrame, manifest: dict) -> str:
    """Chinese Markdown draft of the summary's figures paragraphs for the manifest's period."""
    m = Manifest.model_validate(manifest)
    return summary_from_view(ReleaseView(m, release_rows(indicators, canonical_period(m.period))))


def _target_label(f: p.Figures, breakdown: str) -> str:
    indicator, _, part = breakdown.partition(":")
    name = f.indicator_names.get(indicator, indicator)
    label = breakdown_zh(part)
    return name if part in ("", "total") else f"{label}{name}"


def targets(f: p.Figures, period: str) -> str:
    rows = sorted((r for r in f.by_key.values()
                   if r.indicator == "target_completion_rate" and r.region_code == f.district),
                  key=lambda r: r.breakdown)
    if not rows:
        return "本期无目标任务数据。"
    listed = ";".join(f"{_target_label(f, r.breakdown)}目标完成率为{r.text}%" for r in rows)
    text = f"各项目标任务完成情况:{listed}。"
    if period.endswith("H1"):  # a half-year summary (indicators.md §5)
        lagging = [_target_label(f, r.breakdown) for r in rows
                   if not on_schedule(r.value, period)]
        if lagging:
            text += f"其中{'、'.join(lagging)}完成率尚未过半,下半年需加快进度。"
        else:
            text += "各项目标任务完成率均已过半,做到了“时间过半、任务过半”。"
    return text


def townships(f: p.Figures) -> str:
    if not f.townships:
        return "本期无乡镇(街道)数据。"
    head = "| 乡镇(街道) | " + " | ".join(c for c, _, _ in TOWNSHIP_COLUMNS) + " |"
    lines = [head, "|---|" + "---:|" * len(TOWNSHIP_COLUMNS)]
    for code in f.townships:
        cells = [f.get(ind, bd, region=code) or MISSING for _, ind, bd in TOWNSHIP_COLUMNS]
        lines.append(f"| {f.names[code]} | " + " | ".join(cells) + " |")
    rated = [r for code in f.townships
             if (r := f.row("dibao_coverage_rate", "total", region=code)) is not None]
    if len(rated) > 1:
        top = max(rated, key=lambda r: (r.value, r.region_code))
        low = min(rated, key=lambda r: (r.value, r.region_code))
        lines += ["", f"低保率最高的是{top.region_name}({top.text}%),"
                      f"最低的是{low.region_name}({low.text}%)。"]
    return "\n".join(lines)


def quality_notes(manifest: Manifest) -> str:
    warned = [c for c in manifest.checks if not c.passed and not c.waived]
    waived = [c for c in manifest.checks if not c.passed and c.waived]
    lines = ["发布前的质量检查结果见 indicators.xlsx 的“质量检查”表和 manifest.json。"]
    if warned:
        lines.append("未通过的提示性检查(请在引用相关数字前核实):"
                     + "、".join(f"`{c.name}`" for c in warned) + "。")
    if waived:
        lines.append("经批准豁免后发布的检查:"
                     + "、".join(f"`{c.name}`" for c in waived) + "。")
    return "\n".join(lines)


def summary_from_view(view: ReleaseView) -> str:
    """summary.md of the release (the period's rows and manifest of the view)."""
    period, manifest = view.period, view.manifest
    f = p.Figures(view.rows)
    pw = period_words(period)
    district = f.names.get(f.district, "全区") if f.district else "全区"
    sections = [
        ("一、城乡最低生活保障", [*p.dibao(f, pw), p.dynamics(f, pw), p.gaps_lowincome(f)]),
        ("二、特困人员救助供养和临时救助", p.tekun_temp(f, pw)),
        ("三、自然灾害救助", [p.disasters(f, pw)]),
        ("四、优抚安置", [p.veterans(f, pw)]),
        ("五、目标任务完成情况", [targets(f, period)]),
        ("六、各乡镇(街道)低保情况", [townships(f)]),
        ("七、数据说明", [quality_notes(manifest)]),
    ]
    out = [
        f"# {district}{pw}民政工作主要数据(初稿)",
        "",
        "> 本稿由系统根据通过质量检查的指标自动生成,所有数字均取自同一发布批次的"
        " indicators.csv,供撰写工作总结时核对引用;缺少的数字(如分母为零)未写入。",
    ]
    if f.district is None:
        out += ["", "> 注意:本期没有区级指标行,正文无法给出全区数字。"]
    for title, paras in sections:
        body = [x for x in paras if x]
        out += ["", f"## {title}", ""]
        out.append("\n\n".join(body) if body else "本期无相关数据。")
    return "\n".join(out) + "\n"
