"""summary.md of a roll-up: the whole's draft in the city's (or province's) words.

Every figure is a row of the roll-up release, written as in its indicators.csv. The table
puts the whole and each child side by side; the children's own standards and targets are
named as not summed. Every text that comes from a release (region names, run ids,
publishers, reasons, indicator names, waived checks) is written as literal Markdown
(`ingest.cells.markdown_text`, release.md "Escaping"), so a name like 甲|区 cannot shift the
table's columns.
"""

from __future__ import annotations

from dashboards.view import ReleaseView, Row, period_words
from ingest.cells import markdown_text as md
from orchestration.release.paragraphs_comparisons import yoy_table
from orchestration.rollup.hierarchy import BY_SLUG
from orchestration.rollup.rollup_rules import PER_REGION_ONLY

TABLE = [  # (indicator, breakdown): the headline lines of the side-by-side table
    ("dibao_households_end", "total"), ("dibao_persons_end", "total"),
    ("dibao_persons_end", "urban"), ("dibao_persons_end", "rural"),
    ("dibao_funds", "total"), ("dibao_avg_subsidy", "urban"), ("dibao_avg_subsidy", "rural"),
    ("dibao_coverage_rate", "total"), ("dibao_coverage_rate", "urban"),
    ("dibao_coverage_rate", "rural"), ("gap_coverage_pp", "total"),
    ("gap_subsidy_ratio", "total"), ("tekun_persons_end", "total"), ("tekun_funds", "total"),
    ("temp_assist_cases", "total"), ("temp_assist_funds", "total"),
    ("disaster_affected_persons", "total"), ("disaster_relief_funds", "total"),
    ("veterans_persons_end", "total"), ("veteran_funds", "total"),
    ("soldiers_received", "total"),
]


def _cell(r: Row | None) -> str:
    return "—" if r is None else r.text


def summary_text(view: ReleaseView, inputs: list[dict], rejected: list[dict],
                 not_summed: dict[str, list[str]] | None = None) -> str:
    """The Markdown draft. `inputs`: accepted input releases (region_code, region_name,
    run_id, published_by, gate); `rejected`: {region_code or path, reason}; `not_summed`:
    {"indicator/breakdown": children without the figure} (aggregate's notes)."""
    top = view.district or ""
    level = next((r.region_level for r in view.rows if r.region_code == top), "city")
    whole = BY_SLUG[level].whole
    name = md(view.regions.get(top, whole))
    pw = period_words(view.period)
    kids = {r.region_code: r.region_name for r in view.rows if r.region_code != top}
    get = view.row
    out = [f"# {name}{pw}民政工作主要数据(汇总初稿)", "",
           f"> 本稿由系统根据{len(inputs)}个下级单位已发布、已核验的批次汇总生成:计数和金额相加,"
           "比率由汇总后的分子、分母重新计算(不是各单位比率的平均),差距由重新计算的比率得出。"
           "数字与本批次 indicators.csv 一致,供撰写工作总结时核对引用。", ""]
    urban = [get(i, "urban") for i in ("dibao_household_months", "dibao_person_months",
                                       "dibao_funds", "dibao_avg_subsidy")]
    if all(urban):
        out += [f"{pw}{whole}城市低保累计保障{urban[0].text}户次、{urban[1].text}人次、"
                f"{urban[2].text}万元,月人均补差达{urban[3].text}元。"]
    rural = [get(i, "rural") for i in ("dibao_household_months", "dibao_person_months",
                                       "dibao_funds", "dibao_avg_subsidy")]
    if all(rural):
        out += [f"农村低保累计保障{rural[0].text}户次、{rural[1].text}人次、{rural[2].text}万元,"
                f"月人均补差达{rural[3].text}元。"]
    rate, gap = get("dibao_coverage_rate"), get("gap_coverage_pp")
    if rate:
        out += [f"{whole}低保率为{rate.text}%" + (f",城乡低保率相差{gap.text}个百分点。"
                                                   if gap else "。")]
    out += ["", "## 一、各单位并列", "",
            "| 指标 | 口径 | " + " | ".join([whole, *map(md, kids.values())]) + " |",
            "|---|---|" + "---:|" * (1 + len(kids))]
    for ind, bd in TABLE:
        cells = [get(ind, bd, top), *(get(ind, bd, k) for k in kids)]
        if any(cells):
            label = next(c for c in cells if c)
            out.append(f"| {md(label.indicator_name)}({md(label.unit)}) | "
                       f"{md(label.breakdown_name or bd)} | "
                       + " | ".join(_cell(c) for c in cells) + " |")
    out += ["", "## 二、汇总范围", ""]
    for i in inputs:
        out.append(f"- {md(i['region_name'])}({md(i['region_code'])}):批次 {md(i['run_id'])},"
                   f"发布人 {md(i['published_by'])},质量检查 {md(i['gate'])}")
    for r in rejected:
        out.append(f"- **未纳入** {md(r.get('region_name') or r['region'])}:{md(r['reason'])}")
    waived = [w.check for w in view.manifest.waivers]
    if waived:
        out.append(f"- 经豁免发布的检查:{md('、'.join(waived))}")
    out += ["", "## 三、主要指标同比情况", "", yoy_table(view)]
    out += ["", "## 四、说明", "",
            "低保标准、城乡标准比和目标完成率是各单位自己的指标,不汇总,"
            f"只在各单位的行中发布({'、'.join(sorted(PER_REGION_ONLY))})。"]
    for key, missing in sorted((not_summed or {}).items()):
        names = md("、".join(view.regions.get(c, c) for c in missing))
        out.append(f"- {md(key)}:{names}没有发布该数,{whole}合计不发布(部分相加不是{whole}的数)。")
    return "\n".join(out) + "\n"
