"""The indicator rows of a release: validated once, formatted the same way everywhere."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

import polars as pl

from dashboards.view import KINDS, LEVELS, Row
from ingest.labels import DOMAINS
from ingest.periods import PeriodError, parse_period

COLUMNS = [
    "period", "region_code", "region_name", "region_level", "indicator", "indicator_name",
    "domain", "breakdown", "value", "unit", "value_kind", "numerator", "denominator",
]
CSV_COLUMNS = [
    "period", "region_code", "region_name", "indicator", "indicator_name", "breakdown",
    "value", "unit", "numerator", "denominator",
]
_CENT = Decimal("0.01")


class ReleaseError(ValueError):
    """Input the release cannot be written from; the message names the row and column."""


def canonical_period(text: str) -> str:
    """The period's code (ingest.periods), e.g. '2025-06' for '2025-6'; ReleaseError when
    `text` is no period."""
    return _canonical(str(text or ""))


@lru_cache(maxsize=256)  # asked once per release row: ≈ 26 % of release_rows at province
def _canonical(text: str) -> str:
    try:
        return parse_period(text).code
    except PeriodError as e:
        raise ReleaseError(str(e)) from e


def to_decimal(v) -> Decimal | None:
    """Exact decimal of a cell: floats through their shortest repr, so 2.675 stays 2.675."""
    if v is None:
        return None
    try:
        d = v if isinstance(v, Decimal) else Decimal(repr(v) if isinstance(v, float) else v)
    except (InvalidOperation, TypeError, ValueError):
        raise ReleaseError(f"不是数字 not a number: {v!r}") from None
    if not d.is_finite():
        raise ReleaseError(f"不是有限数 not a finite number: {v!r}")
    return d


def plain(d: Decimal | None) -> str:
    """Unrounded decimal without exponent or trailing zeros (numerators, denominators)."""
    if d is None:
        return ""
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _fail(i: int, rec: dict, column: str, reason: str) -> ReleaseError:
    where = "/".join(str(rec.get(c)) for c in ("region_code", "indicator", "breakdown"))
    return ReleaseError(f"indicators 第{i}行 row {i} ({where}) 列 column {column}: {reason}")


def _row(i: int, rec: dict, periods: tuple[str, ...]) -> Row:
    for col in ("region_code", "region_name", "indicator", "indicator_name", "breakdown", "unit"):
        if not str(rec[col] or "").strip():
            raise _fail(i, rec, col, "为空 empty")
    for col, allowed in (("region_level", LEVELS), ("value_kind", KINDS), ("domain", DOMAINS)):
        if rec[col] not in allowed:
            raise _fail(i, rec, col, f"取值 {rec[col]!r} 不在 not one of {sorted(allowed)}")
    try:
        row_period = canonical_period(rec["period"])
    except ReleaseError as exc:
        raise _fail(i, rec, "period", str(exc)) from None
    if row_period not in periods:
        raise _fail(i, rec, "period", f"{rec['period']!r} 不是本期 is not period {periods[0]}"
                    if len(periods) == 1 else f"{rec['period']!r} 不是本期的月份 is not a month"
                    f" of the period ({periods[0]}…{periods[-1]})")
    nums = {}
    for col in ("value", "numerator", "denominator"):
        try:
            nums[col] = to_decimal(rec[col])
        except ReleaseError as exc:
            raise _fail(i, rec, col, str(exc)) from None
    value, num, den = nums["value"], nums["numerator"], nums["denominator"]
    if value is None:
        raise _fail(i, rec, "value", "为空 empty (an unpublishable value has no row)")
    kind = rec["value_kind"]
    if kind == "count":
        if value != value.to_integral_value():
            raise _fail(i, rec, "value", f"计数不是整数 count {value} is not whole")
        value = value.quantize(Decimal(1))
    else:
        value = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    value = value + 0  # -0.00 → 0.00
    if kind in ("rate", "ratio"):
        if num is None or den is None:
            raise _fail(i, rec, "numerator/denominator", "比率缺分子或分母 rate without both")
        if den == 0:
            raise _fail(i, rec, "denominator", "分母为0 zero denominator (publish no row)")
    elif kind in ("count", "sum"):
        num = den = None
    return Row(
        _shared(row_period), _shared(str(rec["region_code"]).strip()),
        _shared(str(rec["region_name"]).strip()), _shared(rec["region_level"]),
        _shared(rec["indicator"]), _shared(str(rec["indicator_name"]).strip()),
        _shared(rec["domain"]), _shared(rec["breakdown"]), value,
        _shared(str(rec["unit"]).strip()), _shared(kind), num, den,
    )


def _shared(text):
    """One string object for every equal text (`sys.intern`): a province's release holds
    ≈ 1.8 M rows whose names, codes and units repeat; one copy per row took the release step
    past 5 GB (issue 18). Anything but a str is returned as it is."""
    return sys.intern(text) if type(text) is str else text


def release_rows(indicators: pl.DataFrame | Iterable[dict], period: str, *,
                 monthly: bool = False) -> list[Row]:
    """Validate indicator records (a frame or dicts with COLUMNS) and return their rows sorted
    by period, region_code, indicator, breakdown. `monthly`: the rows are of the period's
    months, not of the period. Raises ReleaseError naming the row and column of the first
    problem."""
    period = canonical_period(period)
    periods = tuple(parse_period(period).month_codes()) if monthly else (period,)
    if isinstance(indicators, pl.DataFrame):
        missing = [c for c in COLUMNS if c not in indicators.columns]
        if missing:
            raise ReleaseError(f"indicators 缺少列 missing columns: {', '.join(missing)}")
        indicators = indicators.select(COLUMNS).iter_rows(named=True)
    rows, seen = [], set()
    for i, rec in enumerate(indicators, start=1):
        missing = [c for c in COLUMNS if c not in rec]
        if missing:
            raise ReleaseError(f"indicators 第{i}行 row {i} 缺少列 missing: {', '.join(missing)}")
        row = _row(i, rec, periods)
        if (row.period, *row.key) in seen:
            raise _fail(i, rec, "region_code/indicator/breakdown", "重复 duplicate row")
        seen.add((row.period, *row.key))
        rows.append(row)
    return sorted(rows, key=lambda r: (r.period, *r.key))
