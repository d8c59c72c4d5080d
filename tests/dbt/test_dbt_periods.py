"""The run's month range (CIVSTAT_PERIOD) through a real dbt build of the hand-made district,
and its comparisons (indicators.md §1, §6). Worked by hand from dbt_hand_case(_more):

The range 2026-04/2026-06 has the months of 2026Q2, so it has Q2's values. Its previous
range is 2026-01/2026-03 (touched by the February and March data, so emitted); last year's,
2025-04/2025-06, is untouched (no row, no 同比).

  temp_assist_funds  range: C2 555.55 yuan = 0.06 万元; previous: C1 26750 = 2.68 (2.675 up)
                     环比 (0.06 − 2.68) ÷ 2.68 × 100 = −97.7611… → −97.76
  soldiers_received  range: S2 (06-15) = 1; previous: S1 (03-01) = 1 → 0.00
  dibao_households_end  range 4 (June); previous 0 (no March roster) → no 环比
"""

import shutil

import duckdb
import pytest
from conftest import run_dbt
from dbt_hand_case import D

RANGE, PREVIOUS, LAST_YEAR = "2026-04/2026-06", "2026-01/2026-03", "2025-04/2025-06"


@pytest.fixture(scope="module")
def ranged(dbt_warehouse, tmp_path_factory):
    """A copy of the built warehouse, parsed once without CIVSTAT_PERIOD and then rebuilt
    from the period models down with it: the second invocation must see the new value
    through dbt's partial parsing (the Dagster asset keeps one target folder per warehouse)."""
    warehouse = tmp_path_factory.mktemp("ranged")
    shutil.copy(dbt_warehouse, warehouse / "civstat.duckdb")
    with pytest.MonkeyPatch.context() as env:
        env.delenv("CIVSTAT_PERIOD", raising=False)
        parsed = run_dbt(warehouse, "parse")
        assert parsed.returncode == 0, parsed.stdout[-3000:]
        env.setenv("CIVSTAT_PERIOD", RANGE)
        built = run_dbt(warehouse, "build", "--select", "int_period_spans_enumerated+",
                        "--exclude-resource-type", "unit_test")
    assert built.returncode == 0, built.stdout[-6000:]
    con = duckdb.connect(str(warehouse / "civstat.duckdb"), read_only=True)
    yield con
    con.close()


def _value(con, table: str, period: str, indicator: str, column: str = "value"):
    rows = con.execute(
        f"select {column} from {table} where period = ? and region_code = ? "
        "and indicator = ? and breakdown = 'total'", [period, D, indicator]).fetchall()
    return rows[0][0] if rows else None


def test_the_range_and_its_previous_range_are_emitted_last_years_is_not(ranged):
    kinds = dict(ranged.execute(
        "select period, period_kind from dim_periods where period_kind = 'range'").fetchall())
    assert kinds == {RANGE: "range", PREVIOUS: "range"}


def test_the_range_has_the_values_of_the_quarter_with_the_same_months(ranged):
    differing = ranged.execute(
        """select q.region_code, q.indicator, q.breakdown from fct_indicators q
           full join (select * from fct_indicators where period = ?) r
             using (region_code, indicator, breakdown)
           where q.period = '2026Q2' and (r.value is null or r.value <> q.value)""",
        [RANGE]).fetchall()
    assert differing == []
    assert float(_value(ranged, "fct_indicators", RANGE, "dibao_households_end")) == 4


@pytest.mark.parametrize(
    ("indicator", "previous", "change", "last_year"),
    [
        ("temp_assist_funds", "2.68", "-97.76", None),
        ("soldiers_received", "1.00", "0.00", None),
        ("dibao_households_end", "0.00", None, None),
    ],
)
def test_comparisons_of_the_range(ranged, indicator, previous, change, last_year):
    row = ranged.execute(
        """select previous_period, previous_value, change_pct, last_year_period,
                  last_year_value, yoy_pct
           from fct_indicator_comparisons
           where period = ? and region_code = ? and indicator = ? and breakdown = 'total'""",
        [RANGE, D, indicator]).fetchone()
    assert row is not None
    as_text = [None if v is None else f"{v:.2f}" for v in (row[1], row[2], row[4], row[5])]
    assert (row[0], row[3]) == (PREVIOUS, LAST_YEAR)
    assert as_text == [previous, change, last_year, None]
