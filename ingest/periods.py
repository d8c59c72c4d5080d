"""Reporting periods (indicators.md §1), the one period parser of civstat.

Kinds and their canonical codes:

- ``month``      ``2026-06``
- ``quarter``    ``2026Q3`` (months 07–09)
- ``half_year``  ``2026H1`` (months 01–06) / ``2026H2``; ``2026S1``/``2026S2`` accepted
- ``year``       ``2026``
- ``range``      ``2026-01/2026-09``: an ISO 8601 interval of months, both ends included,
                 first ≤ last, at most ``MAX_RANGE_MONTHS`` months (the 季报's year-to-date)

The dbt model ``int_periods_enumerated`` is the SQL twin of this module (same codes, same
months, same previous and last-year periods).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_HALF = re.compile(r"^(\d{4})[HhSs]([12])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])/(\d{4})-(0[1-9]|1[0-2])$")
_FORMS = (("month", _MONTH), ("quarter", _QUARTER), ("half_year", _HALF), ("year", _YEAR),
          ("range", _RANGE))

KINDS = tuple(kind for kind, _ in _FORMS)
MAX_RANGE_MONTHS = 120  # ten years: longer is a typing mistake, not a report
# The years a period may lie in. No month before 2000 passes ingest (data-contract "month /
# datetime … not before 2000"), so an earlier period has no data: its year is a typing
# mistake (0025H1 for 2025H1). 9998 keeps the month after a period's end within the
# calendar (Period.end); its previous and last-year periods lie in 1999 at the earliest.
MIN_YEAR, MAX_YEAR = 2000, 9998
_QUARTER_ZH = "一二三四"


class PeriodError(ValueError):
    """A period text that is not one of the kinds above; the message says which forms work."""


def _index(d: date) -> int:
    """Months since year 0: consecutive months differ by 1."""
    return d.year * 12 + d.month - 1


def _month(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _ym(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


@dataclass(frozen=True)
class Period:
    """One reporting period. ``months`` are the first days of its months, in order."""

    code: str  # canonical: 2026-06, 2026Q3, 2026H1, 2026, 2026-01/2026-09
    kind: str  # one of KINDS
    year: int  # the year of its first month
    months: tuple[date, ...]

    @property
    def last_month(self) -> date:
        return self.months[-1]

    @property
    def first_month(self) -> date:
        return self.months[0]

    @property
    def end(self) -> date:
        """Last day of the period."""
        nxt = _month(_index(self.last_month) + 1)
        return date.fromordinal(nxt.toordinal() - 1)

    @property
    def is_first_half(self) -> bool:
        return self.kind == "half_year" and self.code.endswith("H1")

    @property
    def folder_name(self) -> str:
        """The release folder's name: the code, a range's ``/`` written ``_``
        (``2026-01_2026-09``), indicators.md §6."""
        return self.code.replace("/", "_")

    @property
    def label_zh(self) -> str:
        """The period in the words of a 民政 summary or report heading:
        2026年6月, 2026年第三季度, 2026年上半年, 2026年, 2026年1-9月份 (a range within a
        year), 2025年11月-2026年2月 (a range across years)."""
        first, last = self.first_month, self.last_month
        if self.kind == "month":
            return f"{first.year}年{first.month}月"
        if self.kind == "quarter":
            return f"{first.year}年第{_QUARTER_ZH[(first.month - 1) // 3]}季度"
        if self.kind == "half_year":
            return f"{first.year}年{'上' if first.month == 1 else '下'}半年"
        if self.kind == "year":
            return f"{first.year}年"
        if first == last:
            return f"{first.year}年{first.month}月"
        if first.year == last.year:
            return f"{first.year}年{first.month}-{last.month}月份"
        return f"{first.year}年{first.month}月-{last.year}年{last.month}月"

    def month_codes(self) -> list[str]:
        return [_ym(m) for m in self.months]

    def shifted(self, months: int) -> Period:
        """The period of the same kind and length, `months` months earlier (> 0) or later."""
        return _build(self.kind, _index(self.first_month) - months,
                      _index(self.last_month) - months)

    def previous(self) -> Period:
        """The period of the same kind just before (indicators.md §6): 2026-06 → 2026-05,
        2026Q3 → 2026Q2, 2026H1 → 2025H2, 2026 → 2025, a range → the range of the same
        length ending the month before it (2026-01/2026-09 → 2025-04/2025-12)."""
        return self.shifted(len(self.months))

    def last_year(self) -> Period:
        """The same period one year earlier (同期): 2026Q3 → 2025Q3,
        2026-01/2026-09 → 2025-01/2025-09."""
        return self.shifted(12)


def _build(kind: str, first: int, last: int) -> Period:
    """The period of `kind` from its first to its last month index (already aligned)."""
    months = tuple(_month(i) for i in range(first, last + 1))
    start = months[0]
    if kind == "month":
        code = _ym(start)
    elif kind == "quarter":
        code = f"{start.year:04d}Q{(start.month - 1) // 3 + 1}"
    elif kind == "half_year":
        code = f"{start.year:04d}H{1 if start.month <= 6 else 2}"
    elif kind == "year":
        code = f"{start.year:04d}"
    else:
        code = f"{_ym(start)}/{_ym(months[-1])}"
    return Period(code, kind, start.year, months)


def _check_years(text: str, years: list[str]) -> None:
    """Raise PeriodError when a year of the period's text is outside MIN_YEAR…MAX_YEAR
    (after its form matched, before any `date` is made: `date` has no year 0)."""
    for year in years:
        if not MIN_YEAR <= int(year) <= MAX_YEAR:
            raise PeriodError(
                f"报告期年份超出范围 invalid period {text!r}: the year {year} is outside "
                f"{MIN_YEAR}–{MAX_YEAR} (no month before {MIN_YEAR} is read from the inbox)"
            )


def _range(text: str, m: re.Match) -> Period:
    first = _index(date(int(m[1]), int(m[2]), 1))
    last = _index(date(int(m[3]), int(m[4]), 1))
    if last < first:
        raise PeriodError(
            f"报告期区间首月晚于末月 invalid period {text!r}: the last month {m[3]}-{m[4]} "
            f"is before the first month {m[1]}-{m[2]} (write YYYY-MM/YYYY-MM, first ≤ last)"
        )
    if last - first + 1 > MAX_RANGE_MONTHS:
        raise PeriodError(
            f"报告期区间过长 invalid period {text!r}: it spans {last - first + 1} months, "
            f"at most {MAX_RANGE_MONTHS} are allowed"
        )
    return _build("range", first, last)


def parse_period(text: str) -> Period:
    """The period a text names, in any of the module's forms (surrounding spaces ignored).

    Raises PeriodError (a ValueError) naming the text and the accepted forms; a year outside
    MIN_YEAR…MAX_YEAR, and a range whose last month is before its first or longer than
    MAX_RANGE_MONTHS, are refused too.
    """
    s = (text or "").strip()
    form = next(((kind, m) for kind, pattern in _FORMS if (m := pattern.match(s))), None)
    if form is None:
        raise PeriodError(
            f"报告期格式不对 invalid period {text!r}: use YYYY-MM, YYYYQ1…YYYYQ4, "
            "YYYYH1/YYYYH2 (or S1/S2), YYYY, or a month range YYYY-MM/YYYY-MM"
        )
    kind, m = form
    _check_years(text, [m[1], m[3]] if kind == "range" else [m[1]])
    if kind == "month":
        i = _index(date(int(m[1]), int(m[2]), 1))
        return _build("month", i, i)
    if kind == "quarter":
        first = int(m[1]) * 12 + 3 * (int(m[2]) - 1)
        return _build("quarter", first, first + 2)
    if kind == "half_year":
        first = int(m[1]) * 12 + 6 * (int(m[2]) - 1)
        return _build("half_year", first, first + 5)
    if kind == "year":
        return _build("year", int(m[1]) * 12, int(m[1]) * 12 + 11)
    return _range(text, m)


def year_to_date_for(day: date) -> Period:
    """The year-to-date range a 季报 run on `day` reports: from January to the last month of
    the latest quarter ended before `day` (10 Oct 2026 → 2026-01/2026-09; 10 Jan 2027 →
    2026-01/2026-12; 10 Apr 2026 → 2026-01/2026-03). indicators.md §1 and §6 (forms)."""
    last = _index(date(day.year, day.month, 1)) - (day.month - 1) % 3 - 1
    return _build("range", (last // 12) * 12, last)
