"""The run on the sample district for the period kinds of contract v2: a quarter and the
季报's year-to-date range, with comparisons.csv checked against figures worked out from the
raw layer by independent SQL (indicators.md §1 and §6)."""

import csv
import io
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration.cli.main import EXIT_OK, main

# two runs of the district; the range and its comparisons by hand: tests/dbt/test_dbt_periods.py
pytestmark = pytest.mark.e2e


def run(inbox: Path, warehouse: Path, period: str) -> int:
    return main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse),
                 "--period", period, "--published-by", "测试员"])


def rows(path: Path) -> dict[tuple[str, str, str], dict]:
    text = path.read_bytes().decode("utf-8-sig")
    return {(r["region_code"], r["indicator"], r["breakdown"]): r
            for r in csv.DictReader(io.StringIO(text))}


def half_up(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def released(tmp_path_factory, district_inbox, district_h1):
    """A copy of the session's 2025H1 warehouse of the demo district (tests/conftest.py), then
    run for 2025Q3 and for 2025-01/2025-09 over the same inbox: ingest finds every file loaded
    already, dbt rebuilds what reads the period."""
    warehouse = tmp_path_factory.mktemp("periods") / "warehouse"
    shutil.copytree(district_h1[0], warehouse, symlinks=True)
    codes = {p: run(district_inbox[0], warehouse, p) for p in ("2025Q3", "2025-01/2025-09")}
    return warehouse, codes


def test_a_quarter_is_published_with_its_comparisons(released):
    warehouse, codes = released
    assert codes["2025Q3"] == EXIT_OK
    folder = warehouse / "published" / "2025Q3"
    ind, cmp_ = rows(folder / "indicators.csv"), rows(folder / "comparisons.csv")
    assert set(ind) == set(cmp_)  # one comparison per indicator row, same keys
    district = next(k[0] for k in ind if k[0].endswith("000000"))
    with duckdb.connect(str(warehouse / "civstat.duckdb"), read_only=True) as con:
        def households(month: str) -> int:
            return con.execute("select count(distinct household_id) from raw.dibao_households "
                               "where strftime(month, '%Y-%m') = ?", [month]).fetchone()[0]

        def funds(first: str, last: str) -> Decimal:
            total = con.execute(
                "select sum(monthly_amount) from raw.dibao_households "
                "where strftime(month, '%Y-%m') between ? and ?", [first, last]).fetchone()[0]
            return half_up(Decimal(total) / 10000)

        q3_end, q2_end = households("2025-09"), households("2025-06")
        q3_funds, q2_funds = funds("2025-07", "2025-09"), funds("2025-04", "2025-06")
    end = cmp_[(district, "dibao_households_end", "total")]
    assert (end["period"], end["previous_period"], end["last_year_period"]) == (
        "2025Q3", "2025Q2", "2024Q3")
    assert (int(end["value"]), int(end["previous_value"])) == (q3_end, q2_end)
    assert Decimal(end["change_pct"]) == half_up(Decimal(q3_end - q2_end) / q2_end * 100)
    assert end["last_year_value"] == "" and end["yoy_pct"] == ""  # no 2024Q3 in the inbox
    money = cmp_[(district, "dibao_funds", "total")]
    assert (Decimal(money["value"]), Decimal(money["previous_value"])) == (q3_funds, q2_funds)
    assert Decimal(money["change_pct"]) == half_up((q3_funds - q2_funds) / q2_funds * 100)
    assert "2025年第三季度" in (folder / "summary.md").read_text("utf-8")


def test_the_year_to_date_range_is_published_under_its_folder_name(released):
    warehouse, codes = released
    assert codes["2025-01/2025-09"] == EXIT_OK
    folder = warehouse / "published" / "2025-01_2025-09"
    ind = rows(folder / "indicators.csv")
    assert {r["period"] for r in ind.values()} == {"2025-01/2025-09"}
    district = next(k[0] for k in ind if k[0].endswith("000000"))
    with duckdb.connect(str(warehouse / "civstat.duckdb"), read_only=True) as con:
        months = con.execute(
            "select count(*) from (select distinct month, household_id from raw.dibao_households "
            "where month between date '2025-01-01' and date '2025-09-01')").fetchone()[0]
    assert int(ind[(district, "dibao_household_months", "total")]["value"]) == months
    assert "2025年1-9月份" in (folder / "summary.md").read_text("utf-8")
    # the quarter's release is still there, untouched by the range's run
    assert (warehouse / "published" / "2025Q3" / "manifest.json").is_file()
