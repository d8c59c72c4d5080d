"""A tiny hand-made district for the dbt tests: 2 townships, 4 villages, dibao rosters for
2026-04..06 (none for 2026-03, so April adds no new/exited), tekun, low-income, temporary
assistance, one flood across two townships, officers, veterans, soldiers and targets.
Every expected figure in test_dbt_build.py is worked out by hand from these rows."""

import hashlib

D, T1, T2 = "110101000000", "110101001000", "110101002000"
V11, V12, V21, V22 = "110101001001", "110101001002", "110101002001", "110101002002"


def person(n: int) -> str:
    """A fake 18-character ID number (ingest has validated real ones already)."""
    return f"11010119800101{n:04d}"


def key(id_number: str) -> str:
    return hashlib.sha256(id_number.encode()).hexdigest()


REGIONS = [
    dict(region_code=D, region_name="测试区", level="district"),
    dict(region_code=T1, region_name="甲街道", level="township", parent_code=D),
    dict(region_code=T2, region_name="乙镇", level="township", parent_code=D),
    dict(region_code=V11, region_name="一社区", level="village", parent_code=T1,
         urban_rural_code="111", resident_population=1000, registered_population=900),
    dict(region_code=V12, region_name="二社区", level="village", parent_code=T1,
         urban_rural_code="121", resident_population=500, registered_population=450),
    dict(region_code=V21, region_name="三村", level="village", parent_code=T2,
         urban_rural_code="220", resident_population=2000, registered_population=2100),
    dict(region_code=V22, region_name="四村", level="village", parent_code=T2,
         urban_rural_code="210", resident_population=1000, registered_population=990),
]

DIBAO_STANDARDS = [
    dict(effective_month="2025-01-01", tier="city", monthly_standard=1000),
    dict(effective_month="2025-01-01", tier="town", monthly_standard=900),
    dict(effective_month="2025-01-01", tier="rural", monthly_standard=700),
    dict(effective_month="2026-05-01", tier="city", monthly_standard=1100),
    dict(effective_month="2026-05-01", tier="rural", monthly_standard=750),
]

TARGETS = [
    dict(year=2026, indicator="dibao_households_end", breakdown="total", target_value=8),
    dict(year=2026, indicator="temp_assist_funds", breakdown="total", target_value=3),
    dict(year=2026, indicator="dibao_persons_end", breakdown="urban", target_value=16),
    dict(year=2025, indicator="soldiers_received", breakdown="total", target_value=10),
]

HEADS = {h: person(i) for i, h in enumerate(["H1", "H2", "H3", "H4", "H5", "LX"], start=1)}


def _hh(month, hid, village, program, covered, amount, income):
    return dict(month=month, household_id=hid, region_code=village, program=program,
                head_name=f"户主{hid}", head_id_number=HEADS[hid],
                head_id_number_hash=key(HEADS[hid]), family_size=covered + 1,
                covered_persons=covered, per_capita_income=income, monthly_amount=amount,
                bank_account=f"62220200000000{hid}")


APR, MAY, JUN = "2026-04-01", "2026-05-01", "2026-06-01"
DIBAO_HOUSEHOLDS = [
    _hh(APR, "H1", V11, "urban", 2, 800, 300),
    _hh(APR, "H2", V12, "urban", 3, 1200, 400),
    _hh(APR, "H3", V21, "rural", 1, 500, 200),
    _hh(MAY, "H1", V11, "urban", 2, 900, 300),
    _hh(MAY, "H2", V12, "urban", 3, 1100, 400),
    _hh(MAY, "H3", V21, "rural", 1, 500, 200),
    _hh(MAY, "H4", V22, "rural", 4, 1000, 100),
    _hh(JUN, "H1", V11, "urban", 2, 900, 300),
    _hh(JUN, "H3", V21, "rural", 1, 500, 800),
    _hh(JUN, "H4", V22, "rural", 4, 1000, 100),
    _hh(JUN, "H5", V21, "urban", 2, 600, 760),
]

TEKUN_IDS = {k: person(100 + i) for i, k in enumerate(["K1", "K2", "K3"])}


def _tk(month, k, village, care, amount):
    return dict(month=month, name=f"特困{k}", id_number=TEKUN_IDS[k],
                id_number_hash=key(TEKUN_IDS[k]), region_code=village, care_type=care,
                monthly_amount=amount)


TEKUN_PERSONS = [
    _tk(APR, "K1", V11, "centralized", 1500),
    _tk(MAY, "K1", V11, "centralized", 1500),
    _tk(JUN, "K1", V11, "centralized", 1500),
    _tk(MAY, "K2", V21, "dispersed", 1000),
    _tk(JUN, "K2", V21, "dispersed", 1000),
    _tk(JUN, "K3", V12, "centralized", 1200),
]


def _member(hid, k, covered, relation="其他"):
    return dict(household_id=hid, name=f"成员{k}", id_number=TEKUN_IDS[k],
                id_number_hash=key(TEKUN_IDS[k]), relation=relation, covered=covered)


DIBAO_MEMBERS = [
    _member("H4", "K2", True),  # K2 is in tekun and a covered H4 member in May and June
    _member("H2", "K1", False),  # not covered
    _member("H2", "K3", True),  # H2 is not in June's roster, K3 is tekun only in June
    dict(household_id="H1", name="户主H1", id_number=HEADS["H1"],
         id_number_hash=key(HEADS["H1"]), relation="户主", covered=True),
]


def _li(hid, head, village, size, income, assessed):
    return dict(household_id=hid, head_id_number=head, head_id_number_hash=key(head),
                region_code=village, family_size=size, per_capita_income=income,
                assessed_on=assessed)


LOWINCOME_HOUSEHOLDS = [
    _li("L1", HEADS["LX"], V11, 1, 1100, "2026-03-10"),
    _li("L2", person(201), V12, 3, 1800, "2026-02-01"),
    _li("L3", person(202), V21, 2, 1500.01, "2026-01-05"),
    _li("L4", person(203), V22, 4, 750.01, "2026-06-30"),
    _li("L5", HEADS["H3"], V21, 2, 500, "2025-11-01"),
    _li("L6", person(204), V22, 5, 800, "2026-07-15"),
]

TEMP_ASSISTANCE = [
    dict(case_id="C1", applicant_id_number=person(301), applicant_id_number_hash=key(person(301)),
         region_code=V11, paid_on="2026-02-15", reason="火灾", persons=3, amount=26750),
    dict(case_id="C2", applicant_id_number=person(302), applicant_id_number_hash=key(person(302)),
         region_code=V22, paid_on="2026-06-30", reason="其他", persons=1, amount=555.55),
    dict(case_id="C3", applicant_id_number=person(303), applicant_id_number_hash=key(person(303)),
         region_code=V21, paid_on="2026-07-01", reason="其他", persons=2, amount=100),
]
