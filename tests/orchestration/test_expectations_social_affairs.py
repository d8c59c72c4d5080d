"""GX suites of the social-affairs sources (issue 13), derived from their declarations: the
credit-code regex, no ID regex on a party's free-text column, end ≥ start, women ≤ members."""

from datetime import date

import pandas as pd

from ingest.contract import SOURCES
from orchestration.quality.suites import source_expectations, source_specs, validate

SOCIAL = ("marriage_registrations", "deaths", "cremations", "burial_enforcement",
          "social_organizations", "social_org_inspections", "vagrant_assistance",
          "community_committees")


def failed(res):
    return {(f["expectation"], f["column"]): f["unexpected"] for f in res.failures}


def test_every_social_source_has_a_suite_over_its_declared_columns():
    for source in SOCIAL:
        specs = source_specs(source)
        named = {kw.get("column") for _, kw in specs}
        assert {c.name for c in SOURCES[source].columns if c.required} <= named, source
    marriage = {(cls, kw["column"]) for cls, kw in source_specs("marriage_registrations")}
    assert ("ExpectColumnValuesToMatchRegex", "man_id_number") not in marriage  # free text
    assert ("ExpectColumnValuesToMatchRegex", "man_id_number_hash") in marriage


def test_social_organisation_suite_finds_a_bad_code_and_an_end_before_the_start():
    row = {"credit_code": "91110000600037341L", "org_name": "某协会", "org_type": "association",
           "charity": False, "registered_on": date(2020, 1, 1), "ended_on": None,
           "region_code": "990102000000", "legal_rep": None, "phone": None}
    bad = dict(row, credit_code="9111000060003734IL", ended_on=date(2019, 12, 31))
    res = validate("t", pd.DataFrame([row, bad]), source_expectations("social_organizations"))
    assert failed(res) == {
        ("expect_column_values_to_match_regex", "credit_code"): 1,
        ("expect_column_pair_values_a_to_be_greater_than_b", "ended_on≥registered_on"): 1,
    }


def test_committee_suite_finds_more_women_than_members():
    row = {"region_code": "990102001001", "term": 9, "elected_on": date(2025, 3, 1),
           "reelection": False, "members": 5, "members_female": 2, "supervision": True}
    res = validate("t", pd.DataFrame([row, dict(row, members_female=6)]),
                   source_expectations("community_committees"))
    assert failed(res) == {
        ("expect_column_pair_values_a_to_be_greater_than_b", "members≥members_female"): 1}
