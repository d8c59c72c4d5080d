"""summary.md's 老龄工作, 儿童福利, 医疗救助 and 数据比对发现 paragraphs: the seed summaries'
wording, every number a published value, a finding with the bureau's action."""

import re

import release_sample
from release_sample import DISTRICT, make_frame, make_manifest

from orchestration.release import render_summary

release_sample.DOMAIN.update({
    "longevity": "welfare", "centenarians": "welfare", "senior": "welfare",
    "orphans": "welfare", "orphan": "welfare", "de": "welfare",
    "medical": "medical_assistance", "insurance": "medical_assistance", "paid": "findings"})

ROWS = [
    (DISTRICT, "longevity_persons_end", "享受高龄津贴人数", "total", 151, "人", "count"),
    (DISTRICT, "longevity_funds", "高龄津贴发放金额", "total", "8.79", "万元", "sum"),
    (DISTRICT, "longevity_new_persons", "高龄津贴新增人数", "total", 35, "人", "count"),
    (DISTRICT, "centenarians_end", "百岁老人数", "total", 1, "人", "count"),
    (DISTRICT, "senior_cards_issued", "发放老年人优待证", "total", 900, "本", "count"),
    (DISTRICT, "orphans_end", "孤儿数", "total", 65, "人", "count"),
    (DISTRICT, "orphans_end", "孤儿数", "institutional", 9, "人", "count"),
    (DISTRICT, "orphans_end", "孤儿数", "family", 56, "人", "count"),
    (DISTRICT, "orphans_end", "孤儿数", "urban", 38, "人", "count"),
    (DISTRICT, "orphans_end", "孤儿数", "rural", 27, "人", "count"),
    (DISTRICT, "orphan_funds", "孤儿基本生活费", "total", "15.49", "万元", "sum"),
    (DISTRICT, "de_facto_children_end", "事实无人抚养儿童数", "total", 20, "人", "count"),
    (DISTRICT, "de_facto_funds", "事实无人抚养儿童基本生活费", "total", "4.20", "万元", "sum"),
    (DISTRICT, "medical_assist_cases", "直接医疗救助人次", "total", 290, "人次", "count"),
    (DISTRICT, "medical_assist_cases", "直接医疗救助人次", "inpatient", 174, "人次", "count"),
    (DISTRICT, "medical_assist_cases", "直接医疗救助人次", "outpatient", 116, "人次", "count"),
    (DISTRICT, "medical_assist_funds", "直接医疗救助资金", "total", "40.80", "万元", "sum"),
    (DISTRICT, "insurance_subsidy_persons", "资助参加基本医疗保险人数", "total", 15089, "人",
     "count"),
    (DISTRICT, "insurance_subsidy_persons", "资助参加基本医疗保险人数", "urban", 11522, "人",
     "count"),
    (DISTRICT, "insurance_subsidy_persons", "资助参加基本医疗保险人数", "rural", 3567, "人",
     "count"),
    (DISTRICT, "insurance_subsidy_funds", "资助参保资金", "total", "90.53", "万元", "sum"),
    (DISTRICT, "paid_after_death_persons", "死亡后仍发放人数", "total", 4, "人", "count"),
    (DISTRICT, "paid_after_death_persons", "死亡后仍发放人数", "elderly", 3, "人", "count"),
    (DISTRICT, "paid_after_death_persons", "死亡后仍发放人数", "child", 1, "人", "count"),
    (DISTRICT, "paid_after_death_persons", "死亡后仍发放人数", "dibao", 0, "人", "count"),
    (DISTRICT, "paid_after_death_funds", "死亡后仍发放金额", "total", "0.12", "万元", "sum"),
    (DISTRICT, "medical_beneficiary_unmatched", "医疗救助对象身份不符人次", "total", 0, "人次",
     "count"),
]


def test_paragraphs_in_the_summaries_words():
    summary = render_summary(make_frame(ROWS), make_manifest())
    for expected in [
        "2025年1-6月份全区发放高龄津贴151人、8.79万元,其中新增35人。百岁老人1人。"
        "发放老年人优待证900本。",
        "2025年1-6月份保障孤儿65人,其中集中养育9人、社会散居56人(城市38人、农村27人)。"
        "保障事实无人抚养儿童20人。发放孤儿基本生活费15.49万元、事实无人抚养儿童基本生活费4.20万元。",
        "2025年1-6月份实施直接医疗救助290人次、40.80万元,其中住院救助174人次、门诊救助116人次。"
        "资助15089人参加基本医疗保险(城市11522人、农村3567人),资助资金90.53万元。",
        "通过跨部门数据比对:发现4人在死亡后仍领取补助(经与死亡人口信息比对)(老年补贴3人、儿童福利1人),"
        "涉及金额0.12万元,须逐户核实、停发追回。",
    ]:
        assert expected in summary, expected
    assert "医疗救助结算的救助对象类别" not in summary  # 0: not a finding


def test_every_number_is_a_published_value_and_a_clean_period_says_so():
    clean = [r for r in ROWS if not r[1].startswith("paid")]
    summary = render_summary(make_frame(clean), make_manifest())
    assert "本期各项数据比对未发现问题。" in summary
    section = summary[summary.index("、老龄工作"):summary.index("、目标任务完成情况")]
    numbers = re.findall(r"\d+(?:\.\d+)?", section.replace("2025年1-6月份", ""))
    assert numbers and set(numbers) <= {str(r[4]) for r in ROWS}
