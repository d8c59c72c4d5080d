"""Reporting periods: `YYYY-MM`, `YYYYH1`/`YYYYH2` (`S1`/`S2` accepted) and `YYYY`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_HALF = re.compile(r"^(\d{4})[HhSs]([12])$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    code: str  # canonical: 2025-06, 2025H1, 2025
    kind: str  # month | half_year | year
    year: int
    months: tuple[date, ...]  # first day of each month, in order

    @property
    def last_month(self) -> date:
        return self.months[-1]

    @property
    def first_month(self) -> date:
        return self.months[0]

    @property
    def end(self) -> date:
        """Last day of the period."""
        m = self.last_month
        nxt = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)

    @property
    def is_first_half(self) -> bool:
        return self.kind == "half_year" and self.code.endswith("H1")

    def month_codes(self) -> list[str]:
        return [f"{m.year:04d}-{m.month:02d}" for m in self.months]


def parse_period(text: str) -> Period:
    s = (text or "").strip()
    if m := _MONTH.match(s):
        y, mo = int(m[1]), int(m[2])
        return Period(f"{y:04d}-{mo:02d}", "month", y, (date(y, mo, 1),))
    if m := _HALF.match(s):
        y, h = int(m[1]), int(m[2])
        months = tuple(date(y, mo, 1) for mo in range(6 * h - 5, 6 * h + 1))
        return Period(f"{y:04d}H{h}", "half_year", y, months)
    if m := _YEAR.match(s):
        y = int(m[1])
        return Period(f"{y:04d}", "year", y, tuple(date(y, mo, 1) for mo in range(1, 13)))
    raise PeriodError(
        f"报告期格式不对 invalid period {text!r}: use YYYY-MM, YYYYH1/YYYYH2 (or S1/S2), or YYYY"
    )
