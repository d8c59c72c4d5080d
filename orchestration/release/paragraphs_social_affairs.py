"""The 社会事务 paragraphs of summary.md (indicators v2 §5a, and the §5c finding
cremated_without_death_record): 婚姻登记, 殡葬管理, 社会组织, 流浪乞讨人员救助, 基层政权.

Every number is a published row of the release (``Figures``); a sentence whose numbers are
missing is left out. Wording as the seed summaries write it; a vagrant who goes home is
返乡 (never 遣送). The two cremation rates are named: 火化率 is matched person by person
(逐人比对), 火化率(总量口径) is local cremations ÷ deaths, the 公报's aggregate.
"""

from __future__ import annotations

from ingest.periods import parse_period
from orchestration.release.paragraphs import Figures, join, paragraph, sentence


def marriage(f: Figures, pw: str) -> str:
    body = join([("结婚登记{}对", f.get("marriage_registrations")),
                 ("离婚登记{}对", f.get("divorce_registrations")),
                 ("补领婚姻登记证{}对", f.get("marriage_reissues"))])
    certs = f.get("marriage_record_certificates")
    tail = "".join([f",出具婚姻登记记录证明{certs}件" if certs else "",
                    f",再婚比例{f.get('remarriage_share')}%" if f.get("remarriage_share") else "",
                    f",登记合格率{f.get('marriage_review_pass_rate')}%"
                    if f.get("marriage_review_pass_rate") else "", "。"])
    return sentence(f"{pw}共办理", body, tail)


def funeral(f: Figures, pw: str) -> str:
    deaths = sentence(f"{pw}全区", join([("死亡{}人", f.get("deaths")),
                                         ("火化遗体{}具", f.get("cremations"))]), "")
    rates = join([("火化率{}%(逐人比对:死亡人员中有火化记录的比例)", f.get("cremation_rate")),
                  ("按总量口径(本区户籍火化数÷死亡人数)火化率{}%", f.get("cremation_rate_gross")),
                  ("土葬{}具", f.get("uncremated_deaths"))], ",")  # the summaries: 土葬1083具
    first = (deaths + ("," + rates if rates else "") + "。") if deaths else (
        sentence("", rates))
    cases = sentence("查处殡葬违规案件", join([
        ("{}起", f.get("burial_violations")),
        ("其中违规土葬{}起", f.get("burial_violations", "illegal_burial")),
        ("违规土葬查处率{}%", f.get("burial_penalty_rate"))], ","))
    waiver = sentence("落实惠民殡葬政策,减免", join([
        ("{}人", f.get("funeral_fee_waiver_persons")),
        ("{}万元", f.get("funeral_fee_waiver_funds"))]))
    found = f.value("cremated_without_death_record")
    check = (f"经比对,已火化但户籍尚未注销的人员{found}人,需商公安部门及时核查注销。"
             if found else "")
    return paragraph(first, cases, waiver, check)


def organisations(f: Figures, pw: str, period: str) -> str:
    y = parse_period(period).last_month.year - 1  # the year inspected (indicators v2 §5a)
    flows = sentence(pw, join([("新登记社会组织{}个", f.get("social_orgs_registered")),
                               ("注销撤销{}个", f.get("social_orgs_ended")),
                               ("期末全区共有社会组织{}个", f.get("social_orgs_end"))], ","))
    inspected = sentence(f"{y}年度年检(年报)社会组织", join([
        ("{}个", f.get("social_org_inspected")),
        ("参检率{}%", f.get("social_org_inspection_rate")),
        ("年检合格率{}%", f.get("social_org_pass_rate"))], ","))
    return paragraph(flows, inspected)


def vagrants(f: Figures, pw: str) -> str:
    cases = sentence(f"{pw}救助流浪乞讨人员", join([
        ("{}人次", f.get("vagrant_assist_cases")),
        ("其中站内救助{}人次", f.get("vagrant_assist_cases", "in_station")),
        ("街面救助{}人次", f.get("vagrant_assist_cases", "outreach"))], ","))
    home = sentence("救助返乡", join([
        ("{}人次", f.get("vagrant_returned_home")),
        ("其中购票返乡{}人次", f.get("vagrant_returned_home", "ticket_home")),
        ("护送返乡{}人次", f.get("vagrant_returned_home", "escorted_home"))], ","))
    funds = sentence("支出救助资金", f"{f.get('vagrant_assist_funds')}万元"
                     if f.get("vagrant_assist_funds") else "")
    return paragraph(cases, home, funds)


def committees(f: Figures, pw: str) -> str:
    stock = sentence("全区共有村(居)民委员会", join([
        ("{}个", f.get("committees_end")),
        ("其中村民委员会{}个", f.get("committees_end", "village_committee")),
        ("居民委员会{}个", f.get("committees_end", "residents_committee"))], ","))
    elections = sentence(f"{pw}完成换届选举", join([
        ("{}个", f.get("committee_elections")),
        ("其中重新选举(重选补选){}个", f.get("committee_reelections"))], ","))
    members = sentence("村(居)委会成员", join([
        ("{}人", f.get("committee_members")),
        ("其中女性{}人", f.get("committee_members", "female")),
        ("女性成员比例{}%", f.get("committee_female_share")),
        ("村(居)务监督委员会建立率{}%", f.get("committee_supervision_rate"))], ","))
    return paragraph(stock, elections, members)


def social_affairs(f: Figures, pw: str, period: str) -> list[str]:
    """The five paragraphs, each headed as the seeds head them; empty ones are dropped."""
    parts = [("婚姻登记", marriage(f, pw)), ("殡葬管理", funeral(f, pw)),
             ("社会组织", organisations(f, pw, period)),
             ("流浪乞讨人员救助", vagrants(f, pw)), ("基层政权", committees(f, pw))]
    return [f"**{title}。** {text}" for title, text in parts if text]
