"""§5a and cremated_without_death_record on the hand-made district (dbt_hand_case_social):
each expected value worked out by hand from those rows, as the comments show."""

from decimal import Decimal

import duckdb
import pytest
from dbt_hand_case import T1, T2, D

H1 = "2026H1"
VALUES = [
    # marriages M1 (06, domestic), M2 (05, domestic), M3 (04, foreign); reissues never count
    (H1, D, "marriage_registrations", "total", 3),
    (H1, D, "marriage_registrations", "domestic", 2),
    (H1, D, "marriage_registrations", "cross_border", 1),
    (H1, D, "divorce_registrations", "cross_border", 1),  # M5 hmt
    (H1, D, "marriage_reissues", "total", 2),
    (H1, D, "marriage_reissues", "divorce_cert", 1),
    # M1: 29 and 26 (her birthday on done_on) → 25_29 twice; M2: 41 → 40_plus, she turns 21
    # the day after done_on → 20; M3 is foreign: no party counted
    (H1, D, "marriage_party_ages", "25_29", 2),
    (H1, D, "marriage_party_ages", "20_24", 1),
    (H1, D, "marriage_party_ages", "40_plus", 1),
    (H1, D, "marriage_party_ages", "30_34", 0),
    (H1, D, "remarriage_share", "total", 50),  # M1 no, M2 yes; M3 lacks a prior
    (H1, D, "marriage_review_pass_rate", "total", 66.67),  # M1 pass, M2 fail, M6 pass
    ("2026-06", D, "marriage_review_pass_rate", "total", 100),
    # deaths P1 V11 06-30, P2 V12, P3 V21, P4 V22 (土葬改革区), P5 V22; cremated: P1 (07-01),
    # P2, P5
    # + issue 14's hand deaths (conftest): E3 V21 05-01, CD V12 04-15, K2 V21 05-31, P1 V11
    # 04-30, none cremated, all in 火葬区 villages
    (H1, D, "deaths", "total", 9),
    (H1, D, "deaths", "cremation_zone", 7),
    (H1, T2, "deaths", "rural", 5),
    (H1, D, "cremation_rate", "total", 33.33),  # P1, P2, P5 of 9
    (H1, D, "cremation_rate", "cremation_zone", 28.57),  # P1, P2 of P1-P3 and the four
    (H1, T2, "cremation_rate", "cremation_zone", 0),  # P3 only
    ("2026-06", D, "cremation_rate", "total", 66.67),  # P1 (cremated in July) and P5 of 3
    (H1, D, "uncremated_deaths", "rural", 4),  # P3, P4, E3, K2
    # cremations of H1: C2 V12, C3 V22, C5 V21 local; C4, C6 from outside; C1 is July's
    (H1, D, "cremations", "total", 5),
    (H1, D, "cremations", "non_local", 2),
    (H1, T2, "cremations", "total", 2),
    (H1, T2, "cremations", "non_local", 0),
    (H1, D, "cremation_rate_gross", "total", 33.33),  # 3 local ÷ 9 deaths
    ("2026-06", D, "cremation_rate_gross", "total", 66.67),  # C3, C5 ÷ P1, P4, P5
    (H1, D, "funeral_fee_waiver_persons", "total", 2),
    (H1, D, "funeral_fee_waiver_funds", "total", 0.15),  # (1000 + 500) ÷ 10 000
    (H1, D, "burial_violations", "illegal_burial", 3),
    (H1, D, "burial_penalty_rate", "total", 66.67),  # B1 fined, B4 exhumed of B1, B2, B4
    (H1, D, "cremated_without_death_record", "total", 1),  # C5 (C6 is not local)
    (H1, T1, "cremated_without_death_record", "total", 0),
    # organisations at 2026-06-30: O1, O3, O4, O5, O6, O7 (O2 ended 2026-05-15)
    (H1, D, "social_orgs_end", "total", 6),
    (H1, T1, "social_orgs_end", "total", 3),
    (H1, D, "social_orgs_registered", "foundation", 1),  # O3, a district-level foundation
    (H1, T1, "social_orgs_registered", "total", 0),  # O1 was registered on 2025-12-31
    (H1, T2, "social_orgs_ended", "private_non_enterprise", 1),
    # Y = 2025: O1 pass, O2 basic_pass, O4 reported; O5 concluded 2026-07-15, O6 absent
    (H1, D, "social_org_inspected", "total", 3),
    (H1, D, "social_org_inspected", "reported", 1),
    (H1, D, "social_org_inspection_rate", "total", 40),  # O1, O2 of due O1 O2 O5 O6 O7
    (H1, T1, "social_org_inspection_rate", "total", 33.33),
    (H1, D, "social_org_pass_rate", "total", 50),
    ("2026", D, "social_org_inspected", "fail", 1),  # O5, concluded within 2026
    (H1, D, "vagrant_assist_cases", "total", 4),
    (H1, D, "vagrant_returned_home", "total", 2),
    (H1, D, "vagrant_special_groups", "minor", 1),  # G1, 15 on started_on (no group given)
    (H1, D, "vagrant_special_groups", "elderly", 1),  # G4, 66
    (H1, D, "vagrant_assist_funds", "total", 0.06),
    ("2026-04", D, "committees_end", "total", 3),  # the snapshot, every period
    (H1, D, "committees_end", "residents_committee", 2),
    (H1, D, "committee_elections", "total", 2),  # V11 03-15, V21 04-20
    ("2026-06", D, "committee_elections", "total", 0),
    (H1, T2, "committee_reelections", "total", 1),
    (H1, D, "committee_female_share", "total", 41.18),  # 7 ÷ 17
    (H1, D, "committee_supervision_rate", "total", 66.67),
]
ABSENT = [
    (H1, T1, "marriage_registrations", "total"),  # district only
    (H1, T1, "cremation_rate_gross", "total"),  # district only
    (H1, T1, "cremation_rate", "rural"),  # no rural death in T1
    (H1, T1, "burial_penalty_rate", "total"),  # no illegal burial in T1
]


@pytest.fixture(scope="module")
def rows(dbt_warehouse):
    con = duckdb.connect(str(dbt_warehouse), read_only=True)
    try:
        got = con.execute("select period, region_code, indicator, breakdown, value, domain "
                          "from fct_indicators").fetchall()
    finally:
        con.close()
    return {r[:4]: (r[4], r[5]) for r in got}


@pytest.mark.parametrize(("period", "region", "indicator", "breakdown", "expected"), VALUES)
def test_social_affairs_value(rows, period, region, indicator, breakdown, expected):
    got = rows.get((period, region, indicator, breakdown))
    assert got is not None, f"no row for {period} {region} {indicator} {breakdown}"
    assert got[0] == Decimal(str(expected)).quantize(Decimal("0.01"))
    domain = "findings" if indicator == "cremated_without_death_record" else "social_affairs"
    assert got[1] == domain


@pytest.mark.parametrize(("period", "region", "indicator", "breakdown"), ABSENT)
def test_social_affairs_absent(rows, period, region, indicator, breakdown):
    assert (period, region, indicator, breakdown) not in rows
