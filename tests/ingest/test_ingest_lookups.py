"""The contract's lookups as ingest writes them (raw.urban_rural_codes, raw.dibao_tier_rules,
raw.dibao_standard_in_force, raw.village_area_classes): values worked out by hand."""

from datetime import date

import duckdb

from ingest.warehouse import ensure_raw_schema


def _con():
    con = duckdb.connect()
    ensure_raw_schema(con)
    return con


def test_area_class_is_11x_city_12x_town_2xx_rural():
    rows = _con().execute("select urban_rural_code, area_class, area from raw.urban_rural_codes "
                          "order by 1").fetchall()
    assert rows == [("111", "city", "urban"), ("112", "city", "urban"), ("121", "town", "urban"),
                    ("122", "town", "urban"), ("123", "town", "urban"),
                    ("210", "rural", "rural"), ("220", "rural", "rural")]


def test_tier_rule_urban_by_class_everything_else_rural():
    con = _con()
    tiers = dict(((p, a), t) for p, a, t in con.execute(
        "select program, area_class, tier from raw.dibao_tier_rules").fetchall())
    assert tiers == {("urban", "city"): "city", ("urban", "town"): "town",
                     ("urban", "rural"): "rural", ("urban", None): "rural",
                     ("rural", "city"): "rural", ("rural", "town"): "rural",
                     ("rural", "rural"): "rural", ("rural", None): "rural"}
    # written once: a second call leaves the rows as they are (no duplicates)
    ensure_raw_schema(con)
    assert con.execute("select count(*) from raw.dibao_tier_rules").fetchone()[0] == 8


def test_standard_in_force_spans_until_the_next_effective_month():
    con = _con()
    con.execute("""insert into raw.dibao_standards (effective_month, tier, monthly_standard)
        values ('2025-01-01', 'city', 800), ('2025-04-01', 'city', 850),
               ('2025-01-01', 'rural', 500)""")
    got = con.execute("select tier, effective_month, until_month, monthly_standard from "
                      "raw.dibao_standard_in_force order by 1, 2").fetchall()
    assert [(t, e, u, int(m)) for t, e, u, m in got] == [
        ("city", date(2025, 1, 1), date(2025, 4, 1), 800),
        ("city", date(2025, 4, 1), date(9999, 12, 1), 850),
        ("rural", date(2025, 1, 1), date(9999, 12, 1), 500)]


def test_village_area_classes_only_villages():
    con = _con()
    con.execute("""insert into raw.regions (region_code, level, urban_rural_code) values
        ('t1', 'township', '111'), ('v1', 'village', '121'), ('v2', 'village', '220')""")
    assert con.execute("select * from raw.village_area_classes order by 1").fetchall() == [
        ("v1", "town"), ("v2", "rural")]


def test_urban_household_in_a_village_without_class_is_held_to_the_rural_standard(env):
    from ingest_cases import HH_HEADER, hh

    env.base()  # standards from 2026-01: city 800, town 700, rural 600
    # the amount column left of the region column: the first error from the left names the
    # row, so the amount check of a row whose village is unknown shows
    order = [HH_HEADER.index(h) for h in HH_HEADER if h != "区划代码"]
    order.insert(HH_HEADER.index("月保障金额") + 1, HH_HEADER.index("区划代码"))
    unknown = "110101001009"  # not in the regions table: no area class
    rows = [hh(household_id="A", region_code=unknown, monthly_amount="1200.01"),  # > 2 × 600
            hh(household_id="B", region_code=unknown, monthly_amount="1200.00")]
    env.xlsx("dibao_households/h.xlsx", [[r[i] for i in order] for r in [HH_HEADER, *rows]])
    env.run("dibao_households")
    assert env.quarantine("dibao_households") == [
        ("dibao_households/h.xlsx", 2, "monthly_amount", "amount_over_standard"),
        ("dibao_households/h.xlsx", 3, "region_code", "unknown_region")]
