"""The hand-made district's social-affairs registers (issue 13), for the dbt tests: every
expected figure in test_dbt_social_affairs.py is worked out by hand from these rows (see the
comments there). Village 四村 (V22) is a 土葬改革区; the others default to 火葬区."""

from datetime import date

import dbt_hand_case as case
from dbt_hand_case import T1, T2, V11, V12, V21, V22, D, key


def born(yyyymmdd: str, n: int) -> str:
    """A fake 18-character ID number with the given birth date (ingest validated real ones)."""
    return f"110101{yyyymmdd}{n:04d}"


def d(text: str) -> date:
    return date.fromisoformat(text)


REGIONS = [dict(r, burial_zone="burial_reform_zone") if r["region_code"] == V22 else r
           for r in case.REGIONS]


def _marriage(rid, business, done, party, man=None, woman=None, mp=None, wp=None, review=None):
    return dict(record_id=rid, business=business, done_on=d(done), office_code=D,
                party_type=party, man_id_number=man, man_id_number_hash=man and key(man),
                woman_id_number=woman, woman_id_number_hash=woman and key(woman),
                man_prior=mp, woman_prior=wp, review=review)


MARRIAGES = [
    _marriage("M1", "marriage", "2026-06-10", "domestic", born("19960615", 1),
              born("20000610", 2), "never_married", "never_married", "pass"),
    _marriage("M2", "marriage", "2026-05-20", "domestic", born("19850101", 3),
              born("20050521", 4), "divorced", "never_married", "fail"),
    _marriage("M3", "marriage", "2026-04-02", "foreign", "P1234567", "E7654321", None,
              "never_married"),
    _marriage("M4", "divorce", "2026-06-01", "domestic", born("19900101", 5),
              born("19920101", 6)),
    _marriage("M5", "divorce", "2026-04-05", "hmt", "H1234567", born("19930101", 7)),
    _marriage("M6", "reissue_marriage", "2026-06-03", "domestic", review="pass"),
    _marriage("M7", "reissue_divorce", "2026-04-03", "domestic"),
    _marriage("M8", "divorce_application", "2026-05-01", "domestic"),
    _marriage("M9", "divorce_withdrawn", "2026-05-02", "domestic"),
    _marriage("M10", "record_certificate", "2026-06-04", "domestic"),
]


def _death(n, village, died):
    pid = born("19400101", 100 + n)
    return dict(name="某某", id_number=pid, id_number_hash=key(pid), region_code=village,
                died_on=d(died), origin="police")


DEATHS = [_death(1, V11, "2026-06-30"), _death(2, V12, "2026-05-10"),
          _death(3, V21, "2026-04-01"), _death(4, V22, "2026-06-15"),
          _death(5, V22, "2026-06-20")]


def _cremation(cid, n, village, died, cremated, waiver=None):
    pid = born("19400101", n) if n else None
    return dict(cremation_id=cid, id_number=pid, id_number_hash=pid and key(pid),
                region_code=village, died_on=d(died), cremated_on=d(cremated),
                fee_waiver=waiver)


CREMATIONS = [
    _cremation("C1", 101, V11, "2026-06-30", "2026-07-01"),  # the next month
    _cremation("C2", 102, V12, "2026-05-10", "2026-05-12", 1000),
    _cremation("C3", 105, V22, "2026-06-20", "2026-06-22", 500),
    _cremation("C4", None, None, "2026-06-04", "2026-06-05"),  # 无名遗体 from outside
    _cremation("C5", 201, V21, "2026-06-04", "2026-06-06", 0),  # no death record
    _cremation("C6", 202, None, "2026-04-09", "2026-04-10"),  # outside, no death record
]

BURIAL_ENFORCEMENT = [
    dict(case_id="B1", region_code=V21, found_on=d("2026-05-03"), violation="illegal_burial",
         action="fined", fine=2000),
    dict(case_id="B2", region_code=V22, found_on=d("2026-06-03"), violation="illegal_burial",
         action="persuaded"),
    dict(case_id="B3", region_code=V11, found_on=d("2026-04-03"), violation="illegal_hall",
         action="confiscated"),
    dict(case_id="B4", region_code=V21, found_on=d("2026-06-10"), violation="illegal_burial",
         action="exhumed_cremated"),
]


def _org(code, org_type, region, registered, ended=None, charity=False):
    return dict(credit_code=code, org_name=f"{code}协会", org_type=org_type, charity=charity,
                registered_on=d(registered), ended_on=ended and d(ended), region_code=region,
                legal_rep="某某")


SOCIAL_ORGANIZATIONS = [
    _org("O1", "association", T1, "2025-12-31"),
    _org("O2", "private_non_enterprise", T2, "2010-03-01", "2026-05-15"),
    _org("O3", "foundation", D, "2026-02-01"),
    _org("O4", "association", T2, "2015-01-01", charity=True),
    _org("O5", "association", T1, "2020-01-01"),
    _org("O6", "private_non_enterprise", T1, "2019-06-01"),
    _org("O7", "association", T2, "2018-01-01"),
]

SOCIAL_ORG_INSPECTIONS = [
    dict(credit_code="O1", year=2025, conclusion="pass", concluded_on=d("2026-05-10")),
    dict(credit_code="O2", year=2025, conclusion="basic_pass", concluded_on=d("2026-04-01")),
    dict(credit_code="O4", year=2025, conclusion="reported", concluded_on=d("2026-03-01")),
    dict(credit_code="O5", year=2025, conclusion="fail", concluded_on=d("2026-07-15")),
    dict(credit_code="O6", year=2025, conclusion="absent", concluded_on=d("2026-04-20")),
    dict(credit_code="O7", year=2024, conclusion="pass", concluded_on=d("2025-04-01")),
]


def _case(cid, township, started, mode, outcome, pid=None, group=None, amount=None,
          ended=None):
    return dict(case_id=cid, id_number=pid, id_number_hash=pid and key(pid),
                region_code=township, started_on=d(started), ended_on=ended and d(ended),
                mode=mode, outcome=outcome, group=group, amount=amount)


VAGRANT_ASSISTANCE = [
    _case("G1", T1, "2026-06-01", "in_station", "ticket_home", born("20100602", 301),
          amount=200),
    _case("G2", T1, "2026-05-01", "outreach", "left"),
    _case("G3", T2, "2026-04-10", "in_station", "escorted_home", group="mental", amount=300),
    _case("G4", T2, "2026-06-10", "in_station", "family_found", born("19600101", 302),
          amount=100, ended="2026-06-11"),
]

COMMUNITY_COMMITTEES = [
    dict(region_code=V11, term=12, elected_on=d("2026-03-15"), reelection=False, members=7,
         members_female=4, supervision=True),
    dict(region_code=V12, term=11, elected_on=d("2023-06-01"), reelection=False, members=5,
         members_female=2, supervision=True),
    dict(region_code=V21, term=12, elected_on=d("2026-04-20"), reelection=True, members=5,
         members_female=1, supervision=False),
]

ROWS = {
    "regions": REGIONS,
    "marriage_registrations": MARRIAGES,
    "deaths": DEATHS,
    "cremations": CREMATIONS,
    "burial_enforcement": BURIAL_ENFORCEMENT,
    "social_organizations": SOCIAL_ORGANIZATIONS,
    "social_org_inspections": SOCIAL_ORG_INSPECTIONS,
    "vagrant_assistance": VAGRANT_ASSISTANCE,
    "community_committees": COMMUNITY_COMMITTEES,
}
