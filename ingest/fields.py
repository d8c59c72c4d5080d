"""Stage 1, per column: the parsed value, reason and detail of one contract column."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ingest import values as v
from ingest.contract import KIND_REASON, YES_NO, Column, Kind

# units a clerk may write after a number, by kind (a column may declare its own: Column.units)
MONEY_UNITS = ("元",)
COUNT_UNITS = ("人次", "户次", "人", "户", "间", "床", "件", "个", "名", "次")

# A number is refused when its whole part has more digits than this: a float holds every
# amount below 10**13 to the cent (2**53 / 100 ≈ 9 × 10**13), DuckDB's DECIMAL(18, 2) of the
# raw tables and Int64 hold it, and no amount, count or quantity of a 民政 register comes near
# it (ten trillion yuan). Larger, the row once crashed stage 2's cast or loaded a NULL count.
MAX_DIGITS = 13

# Schema of parsed values in the stage-1 frame (and the parse cache).
KIND_DTYPE = {
    Kind.TEXT: pl.String,
    Kind.ID_NUMBER: pl.String,
    Kind.REGION: pl.String,
    Kind.REGION_CODE: pl.String,
    Kind.MONEY: pl.Float64,
    Kind.QUANTITY: pl.Float64,
    Kind.COUNT: pl.Int64,
    Kind.MONTH: pl.Date,
    Kind.DATE: pl.Date,
    Kind.DATETIME: pl.Datetime("us"),
    Kind.CODE: pl.String,
    Kind.BOOL: pl.Boolean,
    Kind.PHONE: pl.String,
    Kind.YEAR: pl.Int32,
    Kind.CREDIT_CODE: pl.String,
}


@dataclass
class Checked:
    plan: v.Plan  # intermediate columns to materialise first, level by level
    value: pl.Expr
    reason: pl.Expr  # null when fine
    detail: pl.Expr  # null when fine
    number: pl.Expr | None = None  # numeric columns: the parsed number, for total rows


def _units(col: Column) -> tuple[str, ...]:
    if col.units is not None:
        return col.units
    return {Kind.MONEY: MONEY_UNITS, Kind.COUNT: COUNT_UNITS}.get(col.kind, ())


def numeric_text(plan: v.Plan, col: Column, x: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    if col.spellings:
        x = x.replace(col.spellings)
    return v.number(plan, x, _units(col))


def _numeric(plan: v.Plan, col: Column, x: pl.Expr, raw: pl.Expr | None = None
             ) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """``raw``: the cell's text before NFKC, where it may hold a character outside ASCII."""
    val, dec, matched = numeric_text(plan, col, x)
    show = pl.lit(" ") + v.quoted(x)
    bad = pl.when(~matched).then(pl.lit("不是有效数字 / not a number") + show)
    if raw is not None:  # NFKC reads 10² as 102 and ③ as 3: such a digit is no digit here
        bad = bad.when(raw.str.contains(r"\p{No}")).then(
            pl.lit("不是有效数字（含上标、下标或带圈数字） / not a number (a superscript, "
                   "subscript or circled digit) ") + v.quoted(raw))
    bad = bad.when(val.abs() >= 10.0 ** MAX_DIGITS).then(
        pl.lit(f"数值过大（整数部分超过{MAX_DIGITS}位） / number too large (more than "
               f"{MAX_DIGITS} digits before the point)") + show)
    if col.kind is Kind.MONEY:
        bad = bad.when(val < 0).then(pl.lit("金额不能为负 / amount is negative") + show)
        bad = bad.when(dec > 2).then(pl.lit("金额最多两位小数 / more than 2 decimals") + show)
        value = val.round(2)
    elif col.kind is Kind.COUNT:
        bad = bad.when(dec > 0).then(pl.lit("须为整数 / not a whole number") + show)
        bad = bad.when(val < col.min_count).then(
            pl.lit(f"须不小于{col.min_count} / must be at least {col.min_count}") + show
        )
        value = val.cast(pl.Int64, strict=False)
    else:
        if col.positive:
            bad = bad.when(val <= 0).then(pl.lit("须大于0 / must be greater than 0") + show)
        else:
            bad = bad.when(val < 0).then(pl.lit("不能为负 / must not be negative") + show)
        value = val
    problem = pl.when(x.is_null()).then(None).otherwise(bad.otherwise(None))
    return pl.when(problem.is_null()).then(value).otherwise(None), problem, val


def check(col: Column, text: pl.Expr, numeric_cell: pl.Expr, today: date,
          required: bool | None = None, codes: dict | None = None,
          ascii_only: bool = False) -> Checked:
    """Parse and check one column; ``required`` overrides Column.required; ``ascii_only``:
    every cell of ``text`` is ASCII (``values.clean``)."""
    kind = col.kind
    plan = v.Plan(f"_w_{col.name}_")
    x = plan.let1("x", v.clean_text(text) if kind is Kind.TEXT else v.clean(text, ascii_only))
    number = None
    if kind is Kind.TEXT:
        value, problem = x, pl.lit(None, pl.String)
    elif kind is Kind.ID_NUMBER:
        value, problem = v.id_number(plan, x, numeric_cell, today)
    elif kind in (Kind.REGION, Kind.REGION_CODE):
        value, problem = v.region_code(x)
    elif kind in (Kind.MONEY, Kind.QUANTITY, Kind.COUNT):
        value, problem, number = _numeric(plan, col, x, None if ascii_only else text)
    elif kind in (Kind.MONTH, Kind.DATE, Kind.DATETIME, Kind.YEAR):
        parse = {Kind.MONTH: v.month_value, Kind.YEAR: lambda _, e: v.year_value(e),
                 Kind.DATE: lambda p, e: v.datetime_value(p, e, round_seconds=False).dt.date(),
                 Kind.DATETIME: v.datetime_value}[kind]
        value = plan.let1("v", parse(plan, x))
        what = {Kind.MONTH: "月份（如2026-06、2026年6月）", Kind.YEAR: "年度（2000年以后）",
                Kind.DATE: "日期（如2026-06-02）", Kind.DATETIME: "时间（如2026-06-02 14:30）"}
        problem = pl.when(x.is_not_null() & value.is_null()).then(
            pl.lit(f"不是有效的{what[kind]} / not a valid {kind.value}: '") + x.str.slice(0, 40)
            + pl.lit("'")
        )
    elif kind is Kind.BOOL:
        lookup = v.code_lookup(YES_NO)
        lookup = {k: val == "yes" for k, val in lookup.items()}
        value, problem = v.code(x, lookup, "须填“是”或“否”", "是/否", dtype=pl.Boolean)
    elif kind is Kind.CODE:
        table = codes if codes is not None else col.codes
        choices = "、".join(
            "/".join(dict.fromkeys((*sp, c))) for c, sp in list(table.items())[:12]
        )
        value, problem = v.code(x, v.code_lookup(table), col.zh, choices)
    elif kind is Kind.PHONE:
        value, problem = v.phone(x)
    elif kind is Kind.CREDIT_CODE:
        value, problem = v.credit_code(plan, x)
    else:  # pragma: no cover - every Kind is handled above
        raise ValueError(kind)
    problem = plan.let1("p", problem)
    required = col.required if required is None else required
    reason_code = col.reason or KIND_REASON[kind]
    missing = x.is_null() & pl.lit(required)
    reason = (
        pl.when(missing).then(pl.lit("missing_value"))
        .when(problem.is_not_null()).then(pl.lit(reason_code))
        .otherwise(None)
    )
    detail = (
        pl.when(missing).then(pl.lit("必填项为空 / required value is empty"))
        .otherwise(problem)
    )
    value = pl.when(problem.is_null()).then(value).otherwise(None).cast(KIND_DTYPE[kind])
    return Checked(plan, value, reason, detail, number)
