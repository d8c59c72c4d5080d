"""The indicator rows of a release: validated once, formatted the same way everywhere."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

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
    if isinstance(v, bool):  # JSON true is no count of 1
        raise ReleaseError(f"不是数字 not a number: {v!r}")
    try:
        d = v if isinstance(v, Decimal) else Decimal(repr(v) if isinstance(v, float) else v)
    except (InvalidOperation, TypeError, ValueError):
        raise ReleaseError(f"不是数字 not a number: {v!r}") from None
    if not d.is_finite():
        raise ReleaseError(f"不是有限数 not a finite number: {v!r}")
    if d and d.adjusted() >= MAX_DIGITS:
        raise ReleaseError(f"数值过大 too large (more than {MAX_DIGITS} digits before the point): "
                           f"{v!r}")
    return d


# no 民政 figure comes near 10^15 (yuan of a province: ≈ 10^11); past it a value would not
# keep its cents in the release's arithmetic, and past 10^28 it could not be rounded at all
MAX_DIGITS = 15


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


def _row_error(i: int, part: _Part, column: str, reason: str) -> ReleaseError:
    """_fail for row `i` (numbered over all parts) of `part`."""
    return _fail(i, {c: cells[i - part.first] for c, cells in part.columns.items()}, column,
                 reason)


# The text columns in the order a row is checked, each with its rule: "stripped" or "given"
# not empty, published stripped or as given; a tuple or dict, one of its members; "period"
# the release's period or one of its months. Which is checked first decides which column a
# bad row's message names.
_TEXT_RULES = (
    ("region_code", "stripped"), ("region_name", "stripped"), ("indicator", "given"),
    ("indicator_name", "stripped"), ("breakdown", "given"), ("unit", "stripped"),
    ("region_level", LEVELS), ("value_kind", KINDS), ("domain", DOMAINS), ("period", "period"),
)


def _text(column: str, rule, v, periods: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(the cell as published, None) or (None, the reason it is refused)."""
    if rule == "period":
        try:
            code = canonical_period(v)
        except ReleaseError as exc:
            return None, str(exc)
        if code not in periods:
            return None, (f"{v!r} 不是本期 is not period {periods[0]}" if len(periods) == 1
                          else f"{v!r} 不是本期的月份 is not a month of the period "
                               f"({periods[0]}…{periods[-1]})")
        return _shared(code), None
    if isinstance(rule, str):
        if v is not None and not isinstance(v, str):  # a name of {'a': 1} was published
            return None, f"不是文本 not text: {v!r}"[:200]
        if not str(v or "").strip():
            return None, "为空 empty"
        return _shared(str(v).strip() if rule == "stripped" else v), None
    if v not in rule:
        return None, f"取值 {v!r} 不在 not one of {sorted(rule)}"
    return _shared(v), None


class _Part(NamedTuple):
    """Some consecutive rows, column by column, and the number of the first (from 1)."""

    columns: dict[str, list]
    first: int
    text_only: bool = False  # every text column a String column of a frame: str or None


PART_ROWS = 50_000  # rows taken at once: a province's 1.7 M monthly rows as cells at once
# held 1.6 GB more than row by row (docs/benchmarks.md, "Issue 18, seventeenth round")


def _row_texts(part: _Part, periods: tuple[str, ...], texts: dict) -> Iterator[tuple]:
    """Each row's text cells as published, in _TEXT_RULES order. Each distinct cell of a column
    is checked once (`texts`: {(column, cell): published}, kept over the parts; a province's
    1.7 M monthly rows repeat a few thousand texts); when one is refused, the part's rows are
    checked one by one, so the ReleaseError names the same row and column as ever."""
    published = []
    for column, rule in _TEXT_RULES:
        cells = part.columns[column]
        if not part.text_only and any(type(v) is not str for v in cells):
            # not text: 1 and True, or "a" and a str subclass's "a", would share a key
            return _checked_row_texts(part, periods)
        try:
            for v in set(cells):
                if (column, v) in texts:
                    continue
                text, reason = _text(column, rule, v, periods)
                if reason is not None:
                    return _checked_row_texts(part, periods)
                texts[(column, v)] = text
        except Exception:  # noqa: BLE001 - e.g. a period of year 0: raised at its row
            return _checked_row_texts(part, periods)
        published.append([texts[(column, v)] for v in cells])
    return zip(*published, strict=True)


def _checked_row_texts(part: _Part, periods: tuple[str, ...]) -> Iterator[tuple]:
    """_row_texts row by row: ReleaseError at the row's first refused text cell."""
    cells = zip(*(part.columns[c] for c, _ in _TEXT_RULES), strict=True)
    for i, values in enumerate(cells, start=part.first):
        out = []
        for (column, rule), v in zip(_TEXT_RULES, values, strict=True):
            text, reason = _text(column, rule, v, periods)
            if reason is not None:
                raise _row_error(i, part, column, reason)
            out.append(text)
        yield tuple(out)


def _row(i: int, texts: tuple, numbers: tuple, part: _Part) -> Row:
    """Row `i` of `part`: its text cells as published (_TEXT_RULES order) and its value,
    numerator and denominator as given. ReleaseError naming row `i`."""
    code, name, indicator, indicator_name, breakdown, unit, level, kind, domain, period = texts

    def fail(column: str, reason: str) -> ReleaseError:
        return _row_error(i, part, column, reason)

    nums = []
    for col, v in zip(("value", "numerator", "denominator"), numbers, strict=True):
        try:
            nums.append(to_decimal(v))
        except ReleaseError as exc:
            raise fail(col, str(exc)) from None
    value, num, den = nums
    if value is None:
        raise fail("value", "为空 empty (an unpublishable value has no row)")
    if kind == "count":
        if value != value.to_integral_value():
            raise fail("value", f"计数不是整数 count {value} is not whole")
        value = value.quantize(Decimal(1))
    else:
        value = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    value = value + 0  # -0.00 → 0.00
    if kind != "difference":  # a difference (城乡低保率差距) may be below 0, no other figure
        for col, d in (("value", value), ("numerator", num), ("denominator", den)):
            if d is not None and d < 0:
                raise fail(col, f"负数 negative: {d}")
    if kind in ("rate", "ratio"):
        if num is None or den is None:
            raise fail("numerator/denominator", "比率缺分子或分母 rate without both")
        if den == 0:
            raise fail("denominator", "分母为0 zero denominator (publish no row)")
    elif kind in ("count", "sum"):
        num = den = None
    return Row(period, code, name, level, indicator, indicator_name, domain, breakdown, value,
               unit, kind, num, den)


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
        parts = _frame_parts(indicators)
    else:
        parts = _record_parts(indicators)
    rows, seen, texts = [], set(), {}
    for part in parts:
        numbers = zip(*(part.columns[c] for c in ("value", "numerator", "denominator")),
                      strict=True)
        for i, (row_texts, row_numbers) in enumerate(
                zip(_row_texts(part, periods, texts), numbers, strict=True), start=part.first):
            row = _row(i, row_texts, row_numbers, part)
            key = (row.period, row.region_code, row.indicator, row.breakdown)
            if key in seen:
                raise _row_error(i, part, "region_code/indicator/breakdown", "重复 duplicate row")
            seen.add(key)
            rows.append(row)
    return sorted(rows, key=lambda r: (r.period, r.region_code, r.indicator, r.breakdown))


def _frame_parts(frame: pl.DataFrame) -> Iterator[_Part]:
    text_only = all(frame.schema[c] == pl.String for c, _ in _TEXT_RULES)
    for first in range(0, frame.height, PART_ROWS):
        piece = frame.slice(first, PART_ROWS)
        yield _Part({c: piece.get_column(c).to_list() for c in COLUMNS}, first + 1, text_only)


def _record_parts(records: Iterable[dict]) -> Iterator[_Part]:
    """Dict records as parts; ReleaseError naming a record without a column. A record that
    cannot be read raises after the rows before it are yielded (checked first)."""
    columns: dict[str, list] = {c: [] for c in COLUMNS}
    first, records = 1, iter(records)
    for i in itertools.count(1):
        try:
            rec = next(records)
            missing = [c for c in COLUMNS if c not in rec]
        except StopIteration:
            break
        except Exception:  # not a record, or the records' source failed: after the rows before
            if i > first:
                yield _Part(columns, first)
            raise
        if missing:
            if i > first:  # the rows before it are checked first, as row by row
                yield _Part(columns, first)
            raise ReleaseError(f"indicators 第{i}行 row {i} 缺少列 missing: {', '.join(missing)}")
        for c in COLUMNS:
            columns[c].append(rec[c])
        if i - first + 1 == PART_ROWS:
            yield _Part(columns, first)
            columns, first = {c: [] for c in COLUMNS}, i + 1
    if columns[COLUMNS[0]]:
        yield _Part(columns, first)
