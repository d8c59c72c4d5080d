"""`dbt build` on the hand-made district (dbt_hand_case_welfare.py) gives the §5b and §5c
figures worked out by hand; child welfare has no township row."""

from decimal import Decimal

import duckdb
import pytest
from dbt_hand_case import T1, T2, D

H = "2026H1"
VALUES = [
    # longevity, June roster: E1 (80_89, V11) E2 (90_94, V12) E3 (100_plus, V21)
    (H, D, "longevity_persons_end", "total", 3),
    (H, T1, "longevity_persons_end", "total", 2),
    (H, D, "longevity_persons_end", "80_89", 1),  # E1: 79 y 364 d in May, 80 in June
    (H, D, "longevity_persons_end", "90_94", 1),
    (H, D, "longevity_persons_end", "95_99", 0),  # in force in June, nobody in it
    (H, D, "longevity_funds", "total", 0.27),  # 200+500+100 + 220+600+120 + 120+220+600 = 2680
    (H, D, "longevity_funds", "90_99", 0.02),  # E2's April 200, under the January bands
    (H, D, "longevity_funds", "90_94", 0.04),  # E2 May + June 440
    (H, D, "longevity_funds", "80_89", 0.03),  # E4 100 + 120, E1 120 = 340
    (H, D, "longevity_funds", "100_plus", 0.17),  # E3 500 + 600 + 600
    (H, D, "longevity_new_persons", "total", 1),  # E1 in June; April adds nothing (no March)
    (H, D, "longevity_ended_persons", "total", 1),  # E4 after May, at its May row (T2)
    (H, T2, "longevity_ended_persons", "total", 1),
    (H, D, "centenarians_end", "total", 1),  # E3, 100 on 30 June
    (H, D, "care_subsidy_persons_end", "total", 1),
    (H, D, "service_subsidy_persons_end", "total", 0),
    (H, D, "elderly_subsidy_funds", "total", 0.30),  # 2680 + 300 care
    (H, D, "elderly_subsidy_funds", "care", 0.03),
    (H, D, "senior_cards_issued", "total", 3),  # 59, 60 on the birthday, 65
    (H, D, "senior_cards_issued", "60_64", 1),
    (H, D, "senior_cards_issued", "65_plus", 1),
    (H, T2, "senior_cards_issued", "60_64", 1),
    # children (district only): June CA (orphan family V11 urban), CB (orphan institutional
    # V21 rural, no ID), CC (de_facto family V22 rural); CD's April and May rows
    (H, D, "orphans_end", "total", 2),
    (H, D, "orphans_end", "institutional", 1),
    (H, D, "orphans_end", "no_id", 1),
    (H, D, "orphans_end", "urban", 1),
    (H, D, "de_facto_children_end", "rural", 1),
    (H, D, "de_facto_children_end", "urban", 0),
    (H, D, "orphan_funds", "total", 1.35),  # CA 4500 + CB 6000 + CD 3000
    (H, D, "orphan_funds", "urban", 0.75),  # CA + CD
    (H, D, "orphan_funds", "no_id", 0.60),
    (H, D, "de_facto_funds", "total", 0.30),
    (H, D, "child_welfare_avg_payment", "orphan", 1687.50),  # 13500 / 8 child-months
    (H, D, "child_welfare_avg_payment", "de_facto", 1500),
    # medical: M1..M5 in the period (M6 in 2025-12)
    (H, D, "medical_assist_cases", "total", 5),
    (H, D, "medical_assist_cases", "inpatient", 2),
    (H, T1, "medical_assist_cases", "total", 4),
    (H, D, "medical_assist_persons", "total", 4),  # K1 K2 K3 H1
    (H, T1, "medical_assist_persons", "total", 3),
    (H, D, "medical_assist_funds", "total", 0.48),  # 3000+500+1000+200+100
    (H, D, "medical_assist_funds", "outpatient", 0.08),
    (H, D, "insurance_subsidy_persons", "total", 3),  # year 2026 only
    (H, D, "insurance_subsidy_persons", "urban", 2),
    (H, D, "insurance_subsidy_persons", "tekun", 1),
    (H, D, "insurance_subsidy_persons", "marginal", 0),
    (H, D, "insurance_subsidy_funds", "total", 0.02),  # 240
    (H, D, "insurance_subsidy_per_capita", "total", 80),
    (H, T1, "insurance_subsidy_per_capita", "total", 90),  # (60 + 120) / 2
    # findings: E3 June 600 (died 1 May: May is not after death), CD May 1500, K2 June tekun
    # 1000 and H4 June 1000 / 4 = 250, P1 May + June 4000
    (H, D, "paid_after_death_persons", "total", 4),
    (H, D, "paid_after_death_persons", "dibao", 1),
    (H, D, "paid_after_death_persons", "child", 1),
    (H, D, "paid_after_death_funds", "total", 0.74),  # 7350
    (H, D, "paid_after_death_funds", "elderly", 0.06),
    (H, D, "paid_after_death_funds", "dibao", 0.03),  # 250
    (H, D, "paid_after_death_funds", "child", 0.15),
    (H, D, "paid_after_death_funds", "veteran", 0.40),
    (H, T1, "paid_after_death_persons", "total", 1),  # P1; CD (child) counts at the district only
    (H, T1, "paid_after_death_funds", "total", 0.40),
    (H, T2, "paid_after_death_funds", "total", 0.19),  # 600 + 1000 + 250
    ("2026-05", D, "paid_after_death_persons", "elderly", 0),  # E3's May: 1 May not after 1 May
    ("2026-05", D, "paid_after_death_persons", "total", 2),  # CD, P1
    (H, D, "medical_beneficiary_unmatched", "total", 2),  # M3 (H2 gone in June), M4 (no tekun)
    (H, D, "medical_beneficiary_unmatched", "dibao", 1),
    (H, T2, "medical_beneficiary_unmatched", "total", 0),  # M2: K2 a covered H4 member in May
]


@pytest.fixture(scope="module")
def rows(dbt_warehouse):
    con = duckdb.connect(str(dbt_warehouse), read_only=True)
    try:
        got = con.execute("select period, region_code, indicator, breakdown, value, "
                          "region_level, domain from fct_indicators").fetchall()
    finally:
        con.close()
    return got


@pytest.mark.parametrize(("period", "region", "indicator", "breakdown", "expected"), VALUES)
def test_value(rows, period, region, indicator, breakdown, expected):
    found = [r[4] for r in rows if r[:4] == (period, region, indicator, breakdown)]
    assert found == [Decimal(str(expected)).quantize(Decimal("0.01"))]


def test_child_welfare_and_the_child_breakdown_are_district_only(rows):
    child = {"orphans_end", "de_facto_children_end", "orphan_funds", "de_facto_funds",
             "child_welfare_avg_payment"}
    township = [r for r in rows if r[5] == "township"]
    assert not [r for r in township if r[2] in child or r[3] == "child"]
    assert {r[3] for r in rows if r[2] == "paid_after_death_persons" and r[5] == "township"} \
        == {"total", "dibao", "tekun", "elderly", "veteran"}


def test_domains(rows):
    by_indicator = {r[2]: r[6] for r in rows}
    assert by_indicator["orphans_end"] == "welfare"
    assert by_indicator["insurance_subsidy_funds"] == "medical_assistance"
    assert by_indicator["medical_beneficiary_unmatched"] == "findings"
