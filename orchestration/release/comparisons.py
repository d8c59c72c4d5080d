"""comparisons.csv (indicators.md §6, v2): each indicator row of the release beside its
previous period's value (上期, 环比) and last year's same period's (上年同期, 同比).

The figures come from the dbt mart ``fct_indicator_comparisons`` (the same run's data, never
older releases); this module reads the period's rows, validates them and writes the CSV the
way ``indicators.csv`` is written: UTF-8 with BOM, rows sorted by region_code, indicator,
breakdown, counts whole and everything else with 2 decimals, empty cells for missing
values, text cells that Excel would read as formulas quoted.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl

from dashboards.view import Comparison as PageComparison
from dashboards.view import figure_text
from ingest.cells import formula_safe as safe_text
from ingest.periods import Period
from orchestration.release.rows import KINDS, ReleaseError, canonical_period, to_decimal

MART = "fct_indicator_comparisons"
CSV_COLUMNS = [
    "period", "region_code", "indicator", "breakdown", "value", "previous_period",
    "previous_value", "change_pct", "last_year_period", "last_year_value", "yoy_pct",
]
FRAME_COLUMNS = [*CSV_COLUMNS, "value_kind"]
_NUMBERS = ("value", "previous_value", "change_pct", "last_year_value", "yoy_pct")


@dataclass(frozen=True)
class Comparison:
    """One row of comparisons.csv; numbers as published (Decimal) or None when empty."""

    period: str
    region_code: str
    indicator: str
    breakdown: str
    value_kind: str
    value: Decimal
    previous_period: str
    previous_value: Decimal | None
    change_pct: Decimal | None
    last_year_period: str
    last_year_value: Decimal | None
    yoy_pct: Decimal | None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.region_code, self.indicator, self.breakdown)

    def _figure(self, d: Decimal | None) -> str:
        """A value of the indicator, written as in indicators.csv (counts whole)."""
        if d is None:
            return ""
        return figure_text(d, self.value_kind)

    def cells(self) -> list[str]:
        pct = ["" if d is None else f"{d:.2f}" for d in (self.change_pct, self.yoy_pct)]
        return [
            safe_text(self.period), safe_text(self.region_code), safe_text(self.indicator),
            safe_text(self.breakdown), self._figure(self.value),
            safe_text(self.previous_period), self._figure(self.previous_value), pct[0],
            safe_text(self.last_year_period), self._figure(self.last_year_value), pct[1],
        ]


_TEN_PLACES = Decimal("1e-10")
_CENT = Decimal("0.01")


def change_pct(value: Decimal, earlier: Decimal | None) -> Decimal | None:
    """(value − earlier) × 100 ÷ earlier, half away from zero to 2 decimals (after 10, as
    the mart's round_half_up macro does: fct_indicator_comparisons computes the same in SQL
    for a district); None where `earlier` is None or 0 (indicators.md §6). For the figures
    the mart does not have: a roll-up's whole, a form's line of two indicators."""
    if not earlier:
        return None
    exact = ((value - earlier) * 100 / earlier).quantize(_TEN_PLACES, rounding=ROUND_HALF_UP)
    return exact.quantize(_CENT, rounding=ROUND_HALF_UP) + 0  # -0.00 → 0.00, as the mart


def read_comparisons(con, period: Period) -> pl.DataFrame:
    """The mart's rows of `period` with each indicator's value_kind (FRAME_COLUMNS), from an
    open DuckDB connection to the warehouse."""
    return pl.from_arrow(con.sql(
        f"""
        select m.period, m.region_code, m.indicator, m.breakdown, m.value,
               m.previous_period, m.previous_value, m.change_pct,
               m.last_year_period, m.last_year_value, m.yoy_pct, c.value_kind
        from {MART} m left join indicator_catalogue c using (indicator)
        where m.period = ?
        order by m.region_code, m.indicator, m.breakdown
        """,
        params=[period.code],
    ).to_arrow_table())


def _fail(i: int, rec: dict, column: str, reason: str) -> ReleaseError:
    where = "/".join(str(rec.get(c)) for c in ("region_code", "indicator", "breakdown"))
    return ReleaseError(f"comparisons 第{i}行 row {i} ({where}) 列 column {column}: {reason}")


def _figure(i: int, rec: dict, column: str, kind: str) -> Decimal | None:
    try:
        d = to_decimal(rec[column])
    except ReleaseError as exc:
        raise _fail(i, rec, column, str(exc)) from None
    if d is None:
        return None
    if column in ("change_pct", "yoy_pct") or kind != "count":
        return d.quantize(Decimal("0.01"))  # the mart has rounded half-up already
    if d != d.to_integral_value():
        raise _fail(i, rec, column, f"计数不是整数 count {d} is not whole")
    return d.quantize(Decimal(1))


def _row(i: int, rec: dict, period: str) -> Comparison:
    for col in ("region_code", "indicator", "breakdown", "previous_period", "last_year_period"):
        if not str(rec[col] or "").strip():
            raise _fail(i, rec, col, "为空 empty")
    if rec["period"] != period:
        raise _fail(i, rec, "period", f"{rec['period']!r} 不是本期 is not period {period}")
    kind = rec["value_kind"]
    if kind not in KINDS:
        raise _fail(i, rec, "value_kind", f"取值 {kind!r} 不在 not one of {sorted(KINDS)}")
    nums = {col: _figure(i, rec, col, kind) for col in _NUMBERS}
    if nums["value"] is None:
        raise _fail(i, rec, "value", "为空 empty")
    for pct, earlier in (("change_pct", "previous_value"), ("yoy_pct", "last_year_value")):
        if nums[pct] is not None and not nums[earlier]:
            raise _fail(i, rec, pct, f"{earlier} 为空或0时须为空 must be empty when "
                                     f"{earlier} is missing or 0")
    return Comparison(
        period, str(rec["region_code"]).strip(), rec["indicator"], rec["breakdown"], kind,
        nums["value"], str(rec["previous_period"]).strip(), nums["previous_value"],
        nums["change_pct"], str(rec["last_year_period"]).strip(), nums["last_year_value"],
        nums["yoy_pct"],
    )


def comparison_rows(frame: pl.DataFrame, period: str,
                    indicator_keys: set[tuple[str, str, str]] | None = None) -> list[Comparison]:
    """Validate the period's comparison frame (FRAME_COLUMNS, as read_comparisons gives it)
    and return its rows sorted by region_code, indicator, breakdown, like indicators.csv.

    With `indicator_keys` (the (region_code, indicator, breakdown) of the release's indicator
    rows) it also checks that there is exactly one comparison per indicator row.
    Raises ReleaseError naming the row and column of the first problem.
    """
    period = canonical_period(period)
    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    if missing:
        raise ReleaseError(f"comparisons 缺少列 missing columns: {', '.join(missing)}")
    rows, seen = [], set()
    # column by column: polars' dict per row cost 3 × a dict of the row's cells
    cells = zip(*(frame.get_column(c).to_list() for c in FRAME_COLUMNS), strict=True)
    for i, values in enumerate(cells, start=1):
        rec = dict(zip(FRAME_COLUMNS, values, strict=True))
        row = _row(i, rec, period)
        if row.key in seen:
            raise _fail(i, rec, "region_code/indicator/breakdown", "重复 duplicate row")
        seen.add(row.key)
        rows.append(row)
    if indicator_keys is not None and seen != set(indicator_keys):
        lacking = sorted(set(indicator_keys) - seen)[:3]
        extra = sorted(seen - set(indicator_keys))[:3]
        raise ReleaseError(f"comparisons 与 indicators 的行不一致 rows differ from the "
                           f"indicator rows: without comparison {lacking}, not an "
                           f"indicator row {extra}")
    return sorted(rows, key=lambda r: r.key)


def comparisons_csv_bytes(rows: list[Comparison]) -> bytes:
    """comparisons.csv: UTF-8 with BOM, header CSV_COLUMNS, one line per row as given."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(CSV_COLUMNS)
    for r in rows:
        out.writerow(r.cells())
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def page_map(rows: list[Comparison]) -> dict:
    """Validated comparison rows as the pages and the summary read them: what
    `comparison_map` reads back from their comparisons.csv, made without the text (the
    keys and periods are the CSV's cells; each number is the row's own Decimal, which its
    cell writes exactly: counts whole, the rest with 2 decimals, both quantized by
    `comparison_rows`). 282 k rows at province: ≈ 3 s through the text (docs/benchmarks.md,
    "Issue 18, seventeenth round")."""
    out = {}
    for c in rows:
        key = (safe_text(c.region_code), safe_text(c.indicator), safe_text(c.breakdown))
        out[key] = PageComparison(
            previous_period=safe_text(c.previous_period) or None,
            previous_value=_as_written(c.previous_value, c.value_kind), change_pct=c.change_pct,
            last_year_period=safe_text(c.last_year_period) or None,
            last_year_value=_as_written(c.last_year_value, c.value_kind), yoy_pct=c.yoy_pct)
    return out


def _as_written(d: Decimal | None, kind: str) -> Decimal | None:
    """A figure as its cell reads back: a count's cell has no sign of zero ("-0" → 0)."""
    return d + 0 if d is not None and kind == "count" else d


COMPARISON_VALUES = ("previous_value", "change_pct", "last_year_value", "yoy_pct")


def comparison_map(records, where: Path | str = "comparisons") -> dict:
    """comparisons.csv records (indicators.md §6) → {(region_code, indicator, breakdown):
    Comparison}; an empty cell is None. ReleaseError naming row and column of a bad number."""
    out = {}
    for i, rec in enumerate(records, start=2):  # row 1 is the header
        values = {}
        for col in COMPARISON_VALUES:
            text = (rec.get(col) or "").strip()
            try:
                values[col] = to_decimal(text) if text else None
            except ReleaseError as exc:  # not a number, NaN, infinite, too large
                raise ReleaseError(f"{where}: 第{i}行 row {i}, 列 column {col}: {exc}") from None
        key = (rec.get("region_code") or "", rec.get("indicator") or "", rec.get("breakdown") or "")
        if key in out:  # the later row silently won
            raise ReleaseError(f"{where}: 第{i}行 row {i}: {'/'.join(key)} 重复 duplicate row")
        out[key] = PageComparison(previous_period=rec.get("previous_period") or None,
                              last_year_period=rec.get("last_year_period") or None, **values)
    return out
