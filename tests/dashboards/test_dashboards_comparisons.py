"""comparisons.csv (indicators.md §6) read into the view's comparisons: 环比 / 同比 per row."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orchestration.release.comparisons import comparison_map
from orchestration.release.rows import ReleaseError

HEAD = ("period,region_code,indicator,breakdown,value,previous_period,previous_value,change_pct,"
        "last_year_period,last_year_value,yoy_pct")


def _records(*lines: str) -> list[dict]:
    import csv
    return list(csv.DictReader([HEAD, *lines]))


def test_rows_are_keyed_by_region_indicator_breakdown_and_empty_cells_are_none():
    got = comparison_map(_records(
        "2025H1,990102000000,dibao_persons_end,total,12345,2024H2,12000,2.88,2024H1,13000,-5.04",
        "2025H1,990102000000,deaths,total,310,2024H2,0,,,,",
    ))
    c = got[("990102000000", "dibao_persons_end", "total")]
    assert (c.previous_period, c.previous_value, c.change_pct) == ("2024H2", Decimal(12000),
                                                                    Decimal("2.88"))
    assert (c.last_year_period, c.last_year_value, c.yoy_pct) == ("2024H1", Decimal(13000),
                                                                   Decimal("-5.04"))
    d = got[("990102000000", "deaths", "total")]
    assert d.change_pct is None and d.last_year_period is None and d.yoy_pct is None


def test_a_bad_number_names_row_and_column():
    with pytest.raises(ReleaseError, match=r"comparisons.csv: 第3行 row 3, 列 column yoy_pct: "
                       r"不是数字 not a number: 'n/a'"):
        comparison_map(_records(
            "2025H1,990102000000,deaths,total,310,2024H2,300,3.33,2024H1,290,6.90",
            "2025H1,990102000000,deaths,urban,10,2024H2,9,11.11,2024H1,8,n/a",
        ), "comparisons.csv")


def test_a_comparison_that_is_no_finite_number_is_refused():
    """NaN in a child's comparisons.csv was read as Decimal('NaN') and failed later, far
    from its file."""
    with pytest.raises(ReleaseError, match=r"第2行 row 2, 列 column change_pct: .*finite"):
        comparison_map(_records(
            "2025H1,990102000000,deaths,total,310,2024H2,300,NaN,2024H1,290,6.90"),
            "comparisons.csv")


def test_a_comparison_row_given_twice_is_refused():
    with pytest.raises(ReleaseError, match=r"第3行 row 3: 990102000000/deaths/total 重复"):
        comparison_map(_records(
            "2025H1,990102000000,deaths,total,310,2024H2,300,3.33,2024H1,290,6.90",
            "2025H1,990102000000,deaths,total,310,2024H2,1,3.33,2024H1,290,6.90"),
            "comparisons.csv")


def test_a_difference_changes_in_points_on_the_pages():
    # 城乡低保率差距 from −2.00 (a year ago) and 3.00 (last period) to −1.00: its change_pct
    # and yoy_pct divide by those bases (−50 %: it rose); the pages say points, as summary.md
    from decimal import Decimal

    from dashboards.families import change_words
    from dashboards.view import Comparison, Row

    gap = Row("2025H1", "1", "区", "district", "gap_coverage_pp", "城乡低保率差距",
              "social_assistance", "total", Decimal("-1.00"), "百分点", "difference", None, None)
    c = Comparison(previous_value=Decimal("3.00"), change_pct=Decimal("-133.33"),
                   last_year_value=Decimal("-2.00"), yoy_pct=Decimal("-50.00"))
    assert change_words(c, gap) == ("-4.00个百分点", "+1.00个百分点")
    share = Row("2025H1", "1", "区", "district", "dibao_persons_end", "期末保障人数",
                "social_assistance", "total", Decimal(110), "人", "count", None, None)
    assert change_words(Comparison(previous_value=Decimal(100), change_pct=Decimal("10.00")),
                        share) == ("+10.00%", "—")
