"""summary.md sentences of the v2 figures of the v1 families (issue 12): 低保对象 by group,
临时补助, 特困 城乡 (五保/三无) and 转入低保, relief materials and households, 灾害信息员,
退役士兵 by rank and 完成安置. Every number is a published value of the release rows."""

from __future__ import annotations

from orchestration.release.paragraphs import Figures, join, sentence


def dibao_members(f: Figures, pw: str) -> str:
    """'期末低保对象中老年人…人、未成年人…人、残疾人…人(其中重度残疾…人)、女性…人。'"""
    disabled = f.get("dibao_members_end", "disabled")
    severe = f.get("dibao_members_end", "severely_disabled")
    groups = join([("老年人{}人", f.get("dibao_members_end", "elderly")),
                   ("未成年人{}人", f.get("dibao_members_end", "minor")),
                   ("残疾人{}人" + (f"(其中重度残疾{severe}人)" if severe else ""), disabled),
                   ("女性{}人", f.get("dibao_members_end", "female"))])
    temp = f.get("dibao_temp_subsidy_funds")
    return (sentence("期末低保对象中", groups)
            + sentence(f"{pw}随低保金发放临时补助", f"{temp}万元" if temp else ""))


def tekun_areas(f: Figures, pw: str) -> str:
    """'其中农村特困(五保)…人、城市特困(三无)…人' with their funds, and 转入低保."""
    persons = join([("农村特困(五保){}人", f.get("tekun_persons_end", "rural")),
                    ("城市特困(三无){}人", f.get("tekun_persons_end", "urban"))])
    funds = join([("农村特困(五保)供养金{}万元", f.get("tekun_funds", "rural")),
                  ("城市特困(三无)供养金{}万元", f.get("tekun_funds", "urban"))])
    moved = f.value("tekun_to_dibao_persons")
    return (sentence("期末特困供养人员中", persons) + sentence(f"{pw}累计发放", funds)
            + (sentence("不再符合特困条件转入低保", f"{f.get('tekun_to_dibao_persons')}人")
               if moved else ""))


def relief_goods(f: Figures, pw: str) -> str:
    """'救助灾民…户,发放棉被…床、衣物…件、粮食…公斤。全区共有灾害信息员…人。'"""
    households = f.get("disaster_relief_households")
    goods = join([("发放棉被{}床", f.get("disaster_relief_quilts")),
                  ("衣物{}件", f.get("disaster_relief_clothes")),
                  ("粮食{}公斤", f.get("disaster_relief_grain"))])
    officers = f.get("disaster_officers_active")
    return (sentence(f"{pw}共救助受灾群众", f"{households}户" if households else "",
                     f",{goods}。" if goods else "。")
            + sentence("全区共有在岗灾害信息员", f"{officers}人" if officers else ""))


def soldiers(f: Figures, pw: str) -> str:
    """'接收退役士兵中义务兵…人、士官…人;完成安置…人。'"""
    ranks = join([("义务兵{}人", f.get("soldiers_received", "conscript")),
                  ("士官{}人", f.get("soldiers_received", "nco"))])
    placed = f.get("soldiers_placed")
    return (sentence("接收的退役士兵中", ranks)
            + sentence(f"{pw}完成退役士兵安置", f"{placed}人" if placed else ""))
