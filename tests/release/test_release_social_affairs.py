"""The 社会事务 paragraphs of summary.md: every number from the rows given, the two cremation
rates named, 返乡 and never 遣送, a missing number leaves its clause out."""

from decimal import Decimal

from dashboards.view import Row
from orchestration.release.paragraphs import Figures
from orchestration.release.paragraphs_social_affairs import social_affairs

D = "990102000000"
KINDS = {"rate": ("cremation_rate", "cremation_rate_gross", "burial_penalty_rate",
                  "marriage_review_pass_rate", "social_org_inspection_rate",
                  "social_org_pass_rate", "committee_supervision_rate"),
         "ratio": ("remarriage_share", "committee_female_share"),
         "sum": ("funeral_fee_waiver_funds", "vagrant_assist_funds")}


def _row(indicator, value, breakdown="total"):
    kind = next((k for k, names in KINDS.items() if indicator in names), "count")
    return Row("2026H1", D, "测试区", "district", indicator, indicator, "social_affairs",
               breakdown, Decimal(str(value)), "", kind, None, None)


ROWS = [
    _row("marriage_registrations", 3449), _row("divorce_registrations", 1123),
    _row("marriage_reissues", 1560), _row("marriage_review_pass_rate", "100.00"),
    _row("deaths", 1953), _row("cremations", 870), _row("cremation_rate", "44.55"),
    _row("cremation_rate_gross", "42.14"), _row("uncremated_deaths", 1083),
    _row("burial_violations", 120), _row("burial_violations", 110, "illegal_burial"),
    _row("burial_penalty_rate", "91.00"), _row("cremated_without_death_record", 2),
    _row("social_orgs_registered", 4), _row("social_org_inspected", 97),
    _row("social_org_inspection_rate", "95.10"), _row("social_org_pass_rate", "92.78"),
    _row("vagrant_assist_cases", 25), _row("vagrant_returned_home", 22),
    _row("vagrant_returned_home", 16, "ticket_home"),
    _row("committees_end", 632), _row("committees_end", 448, "village_committee"),
    _row("committees_end", 184, "residents_committee"), _row("committee_elections", 632),
    _row("committee_female_share", "23.50"),
]


def test_paragraphs_quote_the_rows():
    text = "\n".join(social_affairs(Figures(ROWS), "2026年1-6月份", "2026H1"))
    assert "共办理结婚登记3449对、离婚登记1123对、补领婚姻登记证1560对,登记合格率100.00%。" in text
    assert "全区死亡1953人、火化遗体870具,火化率44.55%(逐人比对" in text
    assert "按总量口径(本区户籍火化数÷死亡人数)火化率42.14%,土葬1083具。" in text
    assert "查处殡葬违规案件120起,其中违规土葬110起,违规土葬查处率91.00%。" in text
    assert "户籍尚未注销的人员2人" in text
    assert "新登记社会组织4个" in text
    assert "2025年度年检(年报)社会组织97个,参检率95.10%,年检合格率92.78%。" in text
    assert "救助流浪乞讨人员25人次。救助返乡22人次,其中购票返乡16人次。" in text
    assert "遣送" not in text
    assert "全区共有村(居)民委员会632个,其中村民委员会448个,居民委员会184个。" in text
    assert "完成换届选举632个" in text and "女性成员比例23.50%" in text
    assert [p.split("。", 1)[0] for p in text.split("\n")] == [
        "**婚姻登记", "**殡葬管理", "**社会组织", "**流浪乞讨人员救助", "**基层政权"]


def test_no_rows_no_paragraphs():
    assert social_affairs(Figures([]), "2026年1-6月份", "2026H1") == []
