"""summary.md paragraphs of 老龄工作, 儿童福利, 医疗救助 and 数据比对发现 (indicators v2 §5b,
§5c), in the seed summaries' wording. Every number is a published row's text (Figures.get);
a missing row drops its clause, never invents a figure."""

from __future__ import annotations

from orchestration.release.paragraphs import Figures, join, paragraph, sentence

# §5c findings: (indicator, what was found, the action the bureau takes)
FINDINGS = (
    ("paid_after_death_persons", "人在死亡后仍领取补助(经与死亡人口信息比对)",
     "须逐户核实、停发追回"),
    ("medical_beneficiary_unmatched", "人次医疗救助结算的救助对象类别为低保或特困、但不在当月名册中",
     "须逐人核实身份、纠正类别,多付资金追回"),
    ("cremated_without_death_record", "人已火化但未见户籍注销信息",
     "须函告公安机关核实注销户籍,并停发其各项补助"),
)
PROGRAMS = (("dibao", "低保"), ("tekun", "特困"), ("elderly", "老年补贴"), ("child", "儿童福利"),
            ("veteran", "优抚金"))


def sections(f: Figures, pw: str) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of the four sections, in the order of the summaries."""
    return [("老龄工作", [elderly(f, pw)]), ("儿童福利", [children(f, pw)]),
            ("医疗救助", [medical(f, pw)]), ("数据比对发现", [findings(f)])]


def elderly(f: Figures, pw: str) -> str:
    longevity = join([("{}人", f.get("longevity_persons_end")),
                       ("{}万元", f.get("longevity_funds"))])
    return paragraph(
        sentence(f"{pw}全区发放高龄津贴", longevity,
                 f",其中新增{f.get('longevity_new_persons')}人。"
                 if f.get("longevity_new_persons") is not None else "。"),
        sentence("百岁老人", join([("{}人", f.get("centenarians_end"))])),
        sentence("发放老年人优待证", join([("{}本", f.get("senior_cards_issued"))])),
    )


def children(f: Figures, pw: str) -> str:
    care = join([("集中养育{}人", f.get("orphans_end", "institutional")),
                 ("社会散居{}人", f.get("orphans_end", "family"))])
    area = join([("城市{}人", f.get("orphans_end", "urban")),
                 ("农村{}人", f.get("orphans_end", "rural"))])
    orphans = f.get("orphans_end")
    head = sentence(f"{pw}保障孤儿", f"{orphans}人" if orphans is not None else "",
                    (f",其中{care}" if care else "") + (f"({area})" if area else "") + "。")
    funds = join([("孤儿基本生活费{}万元", f.get("orphan_funds")),
                  ("事实无人抚养儿童基本生活费{}万元", f.get("de_facto_funds"))])
    return paragraph(head,
                     sentence("保障事实无人抚养儿童",
                              join([("{}人", f.get("de_facto_children_end"))])),
                     sentence("发放", funds))


def medical(f: Figures, pw: str) -> str:
    direct = join([("{}人次", f.get("medical_assist_cases")),
                   ("{}万元", f.get("medical_assist_funds"))])
    kinds = join([("住院救助{}人次", f.get("medical_assist_cases", "inpatient")),
                  ("门诊救助{}人次", f.get("medical_assist_cases", "outpatient"))])
    insured = f.get("insurance_subsidy_persons")
    areas = join([("城市{}人", f.get("insurance_subsidy_persons", "urban")),
                  ("农村{}人", f.get("insurance_subsidy_persons", "rural"))])
    funds = f.get("insurance_subsidy_funds")
    return paragraph(
        sentence(f"{pw}实施直接医疗救助", direct, f",其中{kinds}。" if kinds else "。"),
        sentence("资助", f"{insured}人参加基本医疗保险" if insured is not None else "",
                 (f"({areas})" if areas else "")
                 + (f",资助资金{funds}万元。" if funds is not None else "。")),
    )


def findings(f: Figures) -> str:
    """Each cross-register finding with the action the bureau takes; a clean period says so."""
    out = []
    for indicator, found, action in FINDINGS:
        value = f.value(indicator)
        if value is None or value == 0:
            continue
        text = f"发现{f.get(indicator)}{found}"
        if indicator == "paid_after_death_persons":
            split = join([(f"{zh}{{}}人", f.get(indicator, slug)) for slug, zh in PROGRAMS
                          if f.value(indicator, slug)], "、")
            amount = f.get("paid_after_death_funds")
            text += (f"({split})" if split else "") + (
                f",涉及金额{amount}万元" if amount is not None else "")
        out.append(f"{text},{action}。")
    if not out:
        present = [i for i, _, _ in FINDINGS if f.value(i) is not None]
        return "本期各项数据比对未发现问题。" if present else ""
    return "通过跨部门数据比对:" + "".join(out)
