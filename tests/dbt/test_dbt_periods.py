"""The run's month range (CIVSTAT_PERIOD) through a real dbt build of the hand-made district,
and its comparisons (indicators.md §1, §6). Worked by hand from dbt_hand_case(_more):

Range 2026-05/2026-07 (3 months). Previous range 2026-02/2026-04: data in each of its
months, so a base for 环比. Last year's, 2025-05/2025-07: no data, so not emitted, no 同比.

  dibao_household_months  May 4 + June 4 + July 0 (no roster) = 8
  dibao_funds             May 3500 + June 3000 yuan = 0.65 万元
  dibao_new_households    H4 (May, against April: the first month's m−1 lies before the
                          range) + H5 (June) = 2
  dibao_exited_households H2 (June) + H1 H3 H4 H5 (July, no roster after June's) = 5
  temp_assist_funds       C2 555.55 + C3 100 = 655.55 yuan = 0.07; previous C1 26750 = 2.68
                          环比 (0.07 − 2.68) ÷ 2.68 × 100 = −97.388… → −97.39
  soldiers_received       S2 (06-15) = 1; previous S1 (03-01) = 1 → 0.00
  dibao_households_end    July 0; previous April 3 → −100.00
"""

import shutil

import duckdb
import pytest
from conftest import run_dbt
from dbt_hand_case import D

RANGE, PREVIOUS, LAST_YEAR = "2026-05/2026-07", "2026-02/2026-04", "2025-05/2025-07"


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


def test_the_range_and_its_previous_range_are_emitted_last_years_is_not(ranged):
    kinds = dict(ranged.execute(
        "select period, period_kind from dim_periods where period_kind = 'range'").fetchall())
    assert kinds == {RANGE: "range", PREVIOUS: "range"}


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [("dibao_household_months", 8), ("dibao_funds", 0.65), ("dibao_new_households", 2),
     ("dibao_exited_households", 5), ("temp_assist_funds", 0.07), ("soldiers_received", 1)],
)
def test_range_values(ranged, indicator, expected):
    row = ranged.execute(
        "select value from fct_indicators where period = ? and region_code = ? "
        "and indicator = ? and breakdown = 'total'", [RANGE, D, indicator]).fetchone()
    assert row is not None and float(row[0]) == expected


@pytest.mark.parametrize(
    ("indicator", "previous", "change"),
    [
        ("temp_assist_funds", "2.68", "-97.39"),
        ("soldiers_received", "1.00", "0.00"),
        ("dibao_households_end", "3.00", "-100.00"),
    ],
)
def test_comparisons_of_the_range(ranged, indicator, previous, change):
    row = ranged.execute(
        """select previous_period, previous_value, change_pct, last_year_period,
                  last_year_value, yoy_pct
           from fct_indicator_comparisons
           where period = ? and region_code = ? and indicator = ? and breakdown = 'total'""",
        [RANGE, D, indicator]).fetchone()
    assert row is not None
    assert (row[0], row[3]) == (PREVIOUS, LAST_YEAR)
    assert (f"{row[1]:.2f}", f"{row[2]:.2f}", row[4], row[5]) == (previous, change, None, None)


def test_an_earlier_period_not_covered_in_every_month_is_no_base(ranged):
    # 2026Q1 has data in February and March only: 2026Q2 gets no 环比 against it
    row = ranged.execute(
        """select previous_period, previous_value, change_pct from fct_indicator_comparisons
           where period = '2026Q2' and region_code = ? and indicator = 'temp_assist_funds'
             and breakdown = 'total'""", [D]).fetchone()
    assert row == ("2026Q1", None, None)
