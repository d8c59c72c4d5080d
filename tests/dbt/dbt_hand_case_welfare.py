"""The hand-made district's welfare, medical and death registers (issue 14), on the villages
and persons of dbt_hand_case: every expected figure in test_dbt_welfare.py is worked out by
hand from these rows.

Longevity standards: from 2026-01 80_89 100 | 90_99 200 | 100_plus 500; from 2026-05 (a
standard that changes mid-period) 80_89 120 | 90_94 220 | 95_99 300 | 100_plus 600.
Longevity roster (person born, village: Apr May Jun):
  E1 1946-06-01 V11:  -    -   120  (79 years 364 days on 31 May; 80 on 30 June: new in June)
  E2 1936-03-15 V12: 200  220  220  (90: band 90_99 in April, 90_94 from May)
  E3 1926-01-10 V21: 500  600  600  (100; died 2026-05-01: June is after death, May is not)
  E4 1944-02-10 V22: 100  120   -   (82: ended in June, counted at its May row)
  C1 1950-01-01 V12 care subsidy 300 in June (no care standard: unchecked)
Deaths: E3 2026-05-01, CD 2026-04-15 (child), K2 2026-05-31 (tekun and a covered H4 member),
P1 2026-04-30 (veteran, V11).
"""

from dbt_hand_case import HEADS, TEKUN_IDS, V11, V12, V21, V22, key
from dbt_hand_case_more import VETERAN_IDS

APR, MAY, JUN = "2026-04-01", "2026-05-01", "2026-06-01"


def born(ymd: str, n: int) -> str:
    """A fake 18-character ID number with the given birth date."""
    return f"110101{ymd}{n:03d}X"


ELDERLY_IDS = {"E1": born("19460601", 1), "E2": born("19360315", 2),
               "E3": born("19260110", 3), "E4": born("19440210", 4), "C1": born("19500101", 5)}
CHILD_IDS = {"CA": born("20080615", 11), "CC": born("20120101", 12), "CD": born("20100101", 13)}


def _std(month, band, amount):
    return dict(effective_month=month, subsidy="longevity", age_band=band,
                monthly_standard=amount)


ELDERLY_SUBSIDY_STANDARDS = [
    _std("2026-01-01", "80_89", 100), _std("2026-01-01", "90_99", 200),
    _std("2026-01-01", "100_plus", 500),
    _std(MAY, "80_89", 120), _std(MAY, "90_94", 220), _std(MAY, "95_99", 300),
    _std(MAY, "100_plus", 600),
]


def _es(month, p, village, amount, subsidy="longevity"):
    return dict(month=month, name=f"老人{p}", id_number=ELDERLY_IDS[p],
                id_number_hash=key(ELDERLY_IDS[p]), region_code=village, subsidy=subsidy,
                amount=amount, bank_account=f"6222{p}")


ELDERLY_SUBSIDIES = [
    _es(JUN, "E1", V11, 120),
    _es(APR, "E2", V12, 200), _es(MAY, "E2", V12, 220), _es(JUN, "E2", V12, 220),
    _es(APR, "E3", V21, 500), _es(MAY, "E3", V21, 600), _es(JUN, "E3", V21, 600),
    _es(APR, "E4", V22, 100), _es(MAY, "E4", V22, 120),
    _es(JUN, "C1", V12, 300, "care"),
]


def _card(n, ymd, issued, village=V11):
    number = born(ymd, 20 + n)
    return dict(card_id=f"YD{n:04d}", id_number=number, id_number_hash=key(number),
                region_code=village, issued_on=issued)


SENIOR_CARDS = [
    _card(1, "19660615", "2026-06-14"),  # 59 the day before the 60th birthday: total only
    _card(2, "19660615", "2026-06-15", V21),  # 60 on the birthday: 60_64
    _card(3, "19610301", "2026-04-01"),  # 65: 65_plus
    _card(4, "19500101", "2025-12-01"),  # before the period
]

CHILD_WELFARE_STANDARDS = [
    dict(effective_month="2026-01-01", category="orphan", care_type="institutional",
         monthly_standard=2000),
    dict(effective_month="2026-01-01", category="orphan", care_type="family",
         monthly_standard=1500),
    dict(effective_month="2026-01-01", category="de_facto", care_type="family",
         monthly_standard=1500),
]


def _cw(month, c, village, category, care, amount, in_school=False):
    has_id = c in CHILD_IDS
    child_id = CHILD_IDS[c] if has_id else f"FL-{c}"
    return dict(month=month, child_id=child_id, child_id_hash=key(child_id), has_id=has_id,
                name=f"儿童{c}", region_code=village, category=category, care_type=care,
                in_school=in_school, amount=amount)


CHILD_WELFARE_PAYMENTS = [
    # CA turns 18 on 2026-06-15 and is in school in June
    _cw(APR, "CA", V11, "orphan", "family", 1500), _cw(MAY, "CA", V11, "orphan", "family", 1500),
    _cw(JUN, "CA", V11, "orphan", "family", 1500, in_school=True),
    # CB has no ID (an institution's case number)
    _cw(APR, "CB", V21, "orphan", "institutional", 2000),
    _cw(MAY, "CB", V21, "orphan", "institutional", 2000),
    _cw(JUN, "CB", V21, "orphan", "institutional", 2000),
    _cw(MAY, "CC", V22, "de_facto", "family", 1500), _cw(JUN, "CC", V22, "de_facto", "family", 1500),
    # CD died 2026-04-15: May's payment is after death
    _cw(APR, "CD", V12, "orphan", "family", 1500), _cw(MAY, "CD", V12, "orphan", "family", 1500),
]


def _settle(sid, number, village, beneficiary, kind, on, amount, total=None):
    return dict(settlement_id=sid, id_number=number, id_number_hash=key(number),
                region_code=village, beneficiary=beneficiary, assistance_type=kind,
                settled_on=on, total_cost=total, amount=amount)


MEDICAL_ASSISTANCE = [
    _settle("M1", TEKUN_IDS["K1"], V11, "tekun", "inpatient", "2026-05-10", 3000, 10000),
    _settle("M2", TEKUN_IDS["K2"], V21, "dibao", "outpatient", "2026-05-20", 500),  # H4 member
    _settle("M3", TEKUN_IDS["K3"], V12, "dibao", "inpatient", "2026-06-05", 1000),  # H2 gone
    _settle("M4", HEADS["H1"], V11, "tekun", "outpatient", "2026-04-03", 200),  # not tekun
    _settle("M5", TEKUN_IDS["K3"], V12, "other", "outpatient", "2026-06-06", 100),
    _settle("M6", TEKUN_IDS["K1"], V11, "tekun", "outpatient", "2025-12-20", 999),
]


def _insured(year, number, village, beneficiary, amount):
    return dict(year=year, id_number=number, id_number_hash=key(number), region_code=village,
                beneficiary=beneficiary, amount=amount)


INSURANCE_SUBSIDIES = [
    _insured(2026, TEKUN_IDS["K1"], V11, "tekun", 60),
    _insured(2026, TEKUN_IDS["K2"], V21, "dibao", 60),
    _insured(2026, ELDERLY_IDS["E2"], V12, "other", 120),
    _insured(2025, ELDERLY_IDS["E2"], V12, "other", 100),
]


def _death(number, village, died):
    return dict(name="逝者", id_number=number, id_number_hash=key(number), region_code=village,
                died_on=died, origin="police")


DEATHS = [
    _death(ELDERLY_IDS["E3"], V21, "2026-05-01"),
    _death(CHILD_IDS["CD"], V12, "2026-04-15"),
    _death(TEKUN_IDS["K2"], V21, "2026-05-31"),
    _death(VETERAN_IDS["P1"], V11, "2026-04-30"),
]

ROWS = {
    "elderly_subsidy_standards": ELDERLY_SUBSIDY_STANDARDS,
    "elderly_subsidies": ELDERLY_SUBSIDIES,
    "senior_cards": SENIOR_CARDS,
    "child_welfare_standards": CHILD_WELFARE_STANDARDS,
    "child_welfare_payments": CHILD_WELFARE_PAYMENTS,
    "medical_assistance": MEDICAL_ASSISTANCE,
    "insurance_subsidies": INSURANCE_SUBSIDIES,
    "deaths": DEATHS,
}
