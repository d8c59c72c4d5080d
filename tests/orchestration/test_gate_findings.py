"""The §7 warnings of the §5c findings and the district-only `child` breakdown, on a
hand-made warehouse (cases worked out by hand)."""

from datetime import date

import duckdb
import pytest

from ingest.periods import parse_period
from ingest.warehouse import ensure_raw_schema
from orchestration.quality import gate

H1 = parse_period("2025H1")
D, T1, T2 = "990102000000", "990102001000", "990102002000"


@pytest.fixture
def con():
    """A district D with townships T1, T2 (one village each), an empty mart and catalogue."""
    c = duckdb.connect()
    ensure_raw_schema(c)
    c.execute("insert into raw.regions (region_code, level) values (?, 'district')", [D])
    for town in (T1, T2):
        c.execute("insert into raw.regions (region_code, level, parent_code) values (?, ?, ?)",
                  [town, "township", D])
        c.execute("insert into raw.regions (region_code, level, parent_code) values (?, ?, ?)",
                  [town[:9] + "001", "village", town])
    c.execute("""create table fct_indicators (period varchar, region_code varchar,
                 region_level varchar, indicator varchar, breakdown varchar, value decimal(18,2))""")
    c.execute("""create table indicator_catalogue (indicator varchar, value_kind varchar,
                 breakdowns varchar, district_only boolean)""")
    return c


def _rows(db, rows):
    db.executemany("insert into fct_indicators values ('2025H1', ?, ?, ?, ?, ?)", rows)


def test_paid_after_death_is_a_warning_listing_townships(con):
    assert gate.check_paid_after_death(con, H1).passed  # no rows: nothing found
    _rows(con, [(D, "district", "paid_after_death_persons", "total", 3),
                (D, "district", "paid_after_death_funds", "total", 0.74),
                (T1, "township", "paid_after_death_persons", "total", 2),
                (T2, "township", "paid_after_death_persons", "total", 0)])
    out = gate.check_paid_after_death(con, H1)
    assert (out.passed, out.severity) == (False, "warning")
    assert out.items == [{"township": T1, "breakdown": "total", "value": 2.0}]
    assert out.detail.startswith("3 人、0.74 万元")


def test_medical_beneficiary_unmatched_warns(con):
    _rows(con, [(D, "district", "medical_beneficiary_unmatched", "total", 0)])
    assert gate.check_medical_beneficiary_unmatched(con, H1).passed
    con.execute("update fct_indicators set value = 2")
    out = gate.check_medical_beneficiary_unmatched(con, H1)
    assert (out.passed, out.severity) == (False, "warning")


def test_child_breakdown_owed_by_the_district_only(con):
    # the slots dbt owes (int_indicator_slots_enumerated: `child` at the district only; that
    # rule is tested in tests/dbt/test_dbt_indicators.py); the gate compares the mart with them
    con.execute("create schema if not exists intermediate")
    con.execute("create table intermediate.int_indicator_slots_enumerated (period varchar, "
                "region_code varchar, indicator varchar, breakdown varchar, domain varchar)")
    con.executemany("insert into intermediate.int_indicator_slots_enumerated values "
                    "('2025H1', ?, 'paid_after_death_persons', ?, 'findings')",
                    [(D, "total"), (D, "child"), (T1, "total"), (T2, "total")])
    _rows(con, [(D, "district", "paid_after_death_persons", "total", 0),
                (D, "district", "paid_after_death_persons", "child", 0),
                (T1, "township", "paid_after_death_persons", "total", 0),
                (T2, "township", "paid_after_death_persons", "total", 0)])
    assert gate.check_indicator_rows_complete(con, H1).items == []
    con.execute("delete from fct_indicators where breakdown = 'child'")
    assert gate.check_indicator_rows_complete(con, H1).items == [
        {"region": D, "indicator": "paid_after_death_persons", "breakdown": "child"}]


def test_elderly_roster_joins_reporting_completeness(con):
    for m in (4, 5, 6):
        con.execute("insert into raw.elderly_subsidies (month, id_number, region_code, subsidy) "
                    "values (?, ?, ?, 'longevity')", [date(2025, m, 1), f"x{m}", "990102001001"])
    con.execute("insert into raw.elderly_subsidies (month, id_number, region_code, subsidy) "
                "values (?, 'y', '990102002001', 'longevity')", [date(2025, 4, 1)])
    out = gate.check_reporting_completeness(con, H1)
    missing = [(i["township"], i["month"]) for i in out.items if i["source"] == "elderly_subsidies"]
    assert (T2, "2025-05") in missing and (T2, "2025-06") in missing
    assert not [t for t, _ in missing if t == T1 and _ in ("2025-04", "2025-05", "2025-06")]
