from datetime import date

import pytest

from ingest.periods import PeriodError, parse_period


@pytest.mark.parametrize(
    ("text", "code", "kind", "first", "last", "end"),
    [
        ("2025-06", "2025-06", "month", date(2025, 6, 1), date(2025, 6, 1), date(2025, 6, 30)),
        ("2025H1", "2025H1", "half_year", date(2025, 1, 1), date(2025, 6, 1), date(2025, 6, 30)),
        ("2025s2", "2025H2", "half_year", date(2025, 7, 1), date(2025, 12, 1),
         date(2025, 12, 31)),
        ("2024", "2024", "year", date(2024, 1, 1), date(2024, 12, 1), date(2024, 12, 31)),
        ("2024-02", "2024-02", "month", date(2024, 2, 1), date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_periods(text, code, kind, first, last, end):
    p = parse_period(text)
    assert (p.code, p.kind, p.first_month, p.last_month, p.end) == (code, kind, first, last, end)


def test_half_year_months():
    assert parse_period("2025H2").month_codes() == [
        "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"
    ]


@pytest.mark.parametrize("bad", ["2025-13", "2025H3", "25H1", "", "2025/06", "2025-6"])
def test_bad_periods(bad):
    with pytest.raises(PeriodError, match="invalid period"):
        parse_period(bad)
