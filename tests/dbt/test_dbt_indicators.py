"""`dbt build` on the hand-made district gives the indicator values worked out by hand."""

import csv
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from dbt_expected import ABSENT, FRACTIONS, PERIODS, VALUES
from dbt_hand_case import T1, T2, D

from ingest.contract import SOURCES

PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"


@pytest.fixture(scope="module")
def mart(dbt_warehouse):
    con = duckdb.connect(str(dbt_warehouse), read_only=True)
    try:
        rows = con.execute("select * from fct_indicators").fetchall()
        names = [d[0] for d in con.description]
    finally:
        con.close()
    return names, {(r[0], r[2], r[5], r[8]): dict(zip(names, r, strict=True)) for r in rows}


def test_mart_columns_are_exactly_the_published_ones(mart):
    names, _ = mart
    assert names == [
        "period", "period_kind", "region_code", "region_name", "region_level", "indicator",
        "indicator_name", "domain", "breakdown", "value", "unit", "numerator", "denominator",
    ]


@pytest.mark.parametrize(("period", "region", "indicator", "breakdown", "expected"), VALUES)
def test_value(mart, period, region, indicator, breakdown, expected):
    row = mart[1].get((period, region, indicator, breakdown))
    assert row is not None, f"no row for {period} {region} {indicator} {breakdown}"
    assert row["value"] == Decimal(str(expected)).quantize(Decimal("0.01"))


@pytest.mark.parametrize(("period", "region", "indicator", "breakdown", "num", "den"), FRACTIONS)
def test_rates_carry_unrounded_numerator_and_denominator(
    mart, period, region, indicator, breakdown, num, den
):
    row = mart[1][(period, region, indicator, breakdown)]
    assert row["numerator"] == pytest.approx(num)
    assert row["denominator"] == pytest.approx(den)


@pytest.mark.parametrize(("period", "region", "indicator", "breakdown"), ABSENT)
def test_zero_denominator_or_district_only_gives_no_row(mart, period, region, indicator,
                                                          breakdown):
    assert (period, region, indicator, breakdown) not in mart[1]


def test_counts_and_sums_have_no_numerator(mart):
    row = mart[1][("2026H1", D, "dibao_funds", "total")]
    assert row["numerator"] is None and row["denominator"] is None
    assert row["unit"] == "万元" and row["indicator_name"] == "累计支出低保金"


# v2 registers touch December 2025 too (a senior card issued 2025-12-01 and a medical
# settlement of 2025-12-20 in the welfare hand case): that month opens its periods
TOUCHED_2025 = {("2025-12", "month"), ("2025Q4", "quarter"), ("2025H2", "half_year"),
                ("2025", "year")}


def test_periods_are_the_touched_months_half_years_and_years(mart):
    kinds = {(row["period"], row["period_kind"]) for row in mart[1].values()}
    assert kinds == set(PERIODS.items()) | TOUCHED_2025


def test_regions_are_district_and_townships(mart):
    regions = {(row["region_code"], row["region_name"], row["region_level"])
               for row in mart[1].values()}
    assert regions == {(D, "测试区", "district"), (T1, "甲街道", "township"),
                       (T2, "乙镇", "township")}


def test_every_count_and_sum_slot_is_published_for_every_period(mart):
    with open(PROJECT / "seeds" / "indicator_catalogue.csv", encoding="utf-8") as f:
        catalogue = [r for r in csv.DictReader(f) if r["value_kind"] in ("count", "sum")]
    slots = {(indicator["indicator"], b) for indicator in catalogue
             for b in indicator["breakdowns"].split("|")}
    # district-only indicators, and the district-only `child` breakdown (§5c), have no township slot
    township = {(i["indicator"], b) for i in catalogue if i["district_only"] == "false"
                for b in i["breakdowns"].split("|") if b != "child"}
    for period in PERIODS:
        for region in (D, T1, T2):
            slots = {(indicator["indicator"], b) for indicator in catalogue
                     for b in indicator["breakdowns"].split("|")
                     if region == D or indicator["district_only"] != "true"}
            published = {(k[2], k[3]) for k in mart[1] if k[0] == period and k[1] == region}
            expected = slots if region == D else township
            assert expected <= published, (period, region, expected - published)


def test_a_month_touched_only_by_v2_events_counts_them_and_nothing_else(mart):
    # 2025-12 exists only through the card and the settlement: the card counts there, the
    # 低保 roster (from 2026-02 on) has no household in it
    assert float(mart[1][("2025-12", D, "senior_cards_issued", "total")]["value"]) == 1
    assert float(mart[1][("2025-12", D, "dibao_households_end", "total")]["value"]) == 0


def test_contract_sources_all_have_a_staging_view(dbt_warehouse):
    con = duckdb.connect(str(dbt_warehouse), read_only=True)
    try:
        views = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'staging'"
        ).fetchall()}
    finally:
        con.close()
    # one view per source, and the age-band privacy boundary of the 低保 members (v2)
    assert views == {f"stg_raw__{source}" for source in SOURCES} | {
        "stg_raw__dibao_members_banded"}
