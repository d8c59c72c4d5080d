from datetime import date

import pytest

from ingest.periods import PeriodError, parse_period, year_to_date_for


@pytest.mark.parametrize(
    ("text", "code", "kind", "first", "last", "end"),
    [
        ("2025-06", "2025-06", "month", date(2025, 6, 1), date(2025, 6, 1), date(2025, 6, 30)),
        ("2025H1", "2025H1", "half_year", date(2025, 1, 1), date(2025, 6, 1), date(2025, 6, 30)),
        ("2025s2", "2025H2", "half_year", date(2025, 7, 1), date(2025, 12, 1),
         date(2025, 12, 31)),
        ("2024", "2024", "year", date(2024, 1, 1), date(2024, 12, 1), date(2024, 12, 31)),
        ("2024-02", "2024-02", "month", date(2024, 2, 1), date(2024, 2, 1), date(2024, 2, 29)),
        ("2026Q1", "2026Q1", "quarter", date(2026, 1, 1), date(2026, 3, 1), date(2026, 3, 31)),
        ("2026q3", "2026Q3", "quarter", date(2026, 7, 1), date(2026, 9, 1), date(2026, 9, 30)),
        ("2026Q4", "2026Q4", "quarter", date(2026, 10, 1), date(2026, 12, 1),
         date(2026, 12, 31)),
        (" 2026-01/2026-09 ", "2026-01/2026-09", "range", date(2026, 1, 1), date(2026, 9, 1),
         date(2026, 9, 30)),
        ("2025-11/2026-02", "2025-11/2026-02", "range", date(2025, 11, 1), date(2026, 2, 1),
         date(2026, 2, 28)),
        ("2026-06/2026-06", "2026-06/2026-06", "range", date(2026, 6, 1), date(2026, 6, 1),
         date(2026, 6, 30)),
    ],
)
def test_periods(text, code, kind, first, last, end):
    p = parse_period(text)
    assert (p.code, p.kind, p.first_month, p.last_month, p.end) == (code, kind, first, last, end)


def test_half_year_months():
    assert parse_period("2025H2").month_codes() == [
        "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"
    ]


def test_quarter_and_range_months():
    assert parse_period("2026Q2").month_codes() == ["2026-04", "2026-05", "2026-06"]
    assert parse_period("2025-11/2026-02").month_codes() == [
        "2025-11", "2025-12", "2026-01", "2026-02"
    ]
    # the year of a range is its first month's (dbt: period_year = year(period_start))
    assert parse_period("2025-11/2026-02").year == 2025


@pytest.mark.parametrize(
    "bad", ["2025-13", "2025H3", "25H1", "", "2025/06", "2025-6", "2026Q0", "2026Q5",
            "2026-01/2026-13", "2026-01/", "2026-01-2026-09", "2026-01_2026-09", "2026Q1/Q3"],
)
def test_bad_periods(bad):
    with pytest.raises(PeriodError, match="invalid period"):
        parse_period(bad)


@pytest.mark.parametrize(
    ("bad", "year"),
    [("0000-01", "0000"), ("0000H1", "0000"), ("0000", "0000"), ("0000Q1", "0000"),
     ("1999-12", "1999"), ("0025H1", "0025"), ("9999", "9999"), ("9999-12", "9999"),
     ("1999-12/2000-06", "1999"), ("2025-01/9999-01", "9999")],
)
def test_a_year_before_2000_or_after_9998_is_refused(bad, year):
    # no month before 2000 passes ingest (data contract), and datetime has no year 0 or 10000
    with pytest.raises(PeriodError, match=f"the year {year} is outside 2000–9998"):
        parse_period(bad)


def test_the_first_and_last_years_allowed_and_their_neighbours():
    first, last = parse_period("2000-01"), parse_period("9998-12")
    assert (first.previous().code, first.last_year().code) == ("1999-12", "1999-01")
    assert last.end == date(9998, 12, 31)
    # the longest range from the first month: its previous range is ten years earlier
    assert parse_period("2000-01/2009-12").previous().code == "1990-01/1999-12"


def test_a_range_ending_before_it_starts_is_refused():
    with pytest.raises(PeriodError, match="last month 2026-01 is before the first month 2026-09"):
        parse_period("2026-09/2026-01")


def test_a_range_over_120_months_is_refused_and_120_are_accepted():
    # 2016-01 … 2025-12 is 10 × 12 = 120 months; one month more is 121
    assert len(parse_period("2016-01/2025-12").months) == 120
    with pytest.raises(PeriodError, match="spans 121 months, at most 120"):
        parse_period("2016-01/2026-01")


@pytest.mark.parametrize(
    ("text", "previous", "last_year"),
    [
        ("2026-06", "2026-05", "2025-06"),
        ("2026-01", "2025-12", "2025-01"),
        ("2026Q3", "2026Q2", "2025Q3"),
        ("2026Q1", "2025Q4", "2025Q1"),
        ("2026H1", "2025H2", "2025H1"),
        ("2026H2", "2026H1", "2025H2"),
        ("2026", "2025", "2025"),
        # 9 months ending the month before 2026-01: 2025-04 … 2025-12
        ("2026-01/2026-09", "2025-04/2025-12", "2025-01/2025-09"),
        # 4 months ending 2025-10: 2025-07 … 2025-10
        ("2025-11/2026-02", "2025-07/2025-10", "2024-11/2025-02"),
        ("2026-03/2026-03", "2026-02/2026-02", "2025-03/2025-03"),
    ],
)
def test_previous_and_last_year(text, previous, last_year):
    p = parse_period(text)
    assert (p.previous().code, p.last_year().code) == (previous, last_year)
    assert p.previous().kind == p.last_year().kind == p.kind


@pytest.mark.parametrize(
    ("text", "folder"),
    [("2026-01/2026-09", "2026-01_2026-09"), ("2025H1", "2025H1"), ("2026Q3", "2026Q3"),
     ("2026-06", "2026-06")],
)
def test_folder_name(text, folder):
    assert parse_period(text).folder_name == folder


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2026-06", "2026年6月"),
        ("2026Q3", "2026年第三季度"),
        ("2026Q1", "2026年第一季度"),
        ("2026Q4", "2026年第四季度"),
        ("2026H1", "2026年上半年"),
        ("2026S2", "2026年下半年"),
        ("2026", "2026年"),
        ("2026-01/2026-09", "2026年1-9月份"),
        ("2026-04/2026-11", "2026年4-11月份"),
        ("2025-11/2026-02", "2025年11月-2026年2月"),
        ("2026-06/2026-06", "2026年6月"),
    ],
)
def test_chinese_label(text, label):
    assert parse_period(text).label_zh == label


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (date(2026, 10, 10), "2026-01/2026-09"),
        (date(2027, 1, 10), "2026-01/2026-12"),
        (date(2026, 4, 10), "2026-01/2026-03"),
        (date(2026, 7, 10), "2026-01/2026-06"),
        (date(2026, 12, 31), "2026-01/2026-09"),  # Q4 not over yet: still the Q3 range
        (date(2026, 3, 31), "2025-01/2025-12"),
    ],
)
def test_year_to_date_for_the_quarterly_run(day, code):
    p = year_to_date_for(day)
    assert (p.code, p.kind) == (code, "range")
