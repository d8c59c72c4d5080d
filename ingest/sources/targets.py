"""年度目标任务 (targets): the year's target per indicator and breakdown; indicators and
breakdowns are the indicator catalogue's (dbt seed)."""

from __future__ import annotations

import re

import polars as pl

from ingest import values
from ingest.catalogue import load_units
from ingest.contract import Column, Kind, Source
from ingest.rules import Rule, lit

# every unit of the indicator catalogue, and the kin a clerk writes for them (a test holds
# this list to the catalogue); the unit read is the longest at the value's end (万元, not 元)
UNITS = ("元/人·月", "人次", "户次", "万元", "公斤", "公顷", "百分点", "元", "人", "户", "间", "次",
         "倍", "%", "个", "件", "具", "对", "床", "本", "起")
# the units a clerk may write for a unit: a count of persons for one of person-times, … (not
# 户次 for 人次: households are not persons)
KIN = {"人次": {"人", "次"}, "户次": {"户", "次"}, "次": {"人次", "户次"}, "人": {"人次"},
       "户": {"户次"}, "%": {"百分点"}, "百分点": {"%"}, "元/人·月": {"元"}}


def allowed_units(unit: str) -> set[str]:
    """The units a target of an indicator in ``unit`` may be written in: its own and its kin
    (``KIN``). Any other (``12000000元`` for an indicator in 万元, ``120户`` for one in 人)
    would load a number in the wrong unit."""
    return {unit} | KIN.get(unit, set())


def run_codes(catalogue) -> dict[str, dict]:
    """Indicators and breakdowns are the catalogue's; ``total`` is every indicator's."""
    breakdowns = {b for bs in catalogue.values() for b in bs} | {"total"}
    return {"indicator": {k: () for k in catalogue}, "breakdown": {b: () for b in breakdowns}}


def row_rules(catalogue) -> list[Rule]:
    """The breakdown is one of the indicator's; a unit written after the target value is the
    indicator's unit or its kin (civstat's reading: the contract strips a unit suffix, and a
    unit of another scale or thing silently changes the completion rate)."""
    pairs = [f"{i}|{b}" for i, bs in catalogue.items() for b in bs]
    pair = pl.col("indicator") + pl.lit("|") + pl.col("breakdown")
    units = {i: u for i, u in load_units().items() if i in catalogue and u}
    written = values.clean(pl.col("_t_target_value")).str.to_lowercase().str.extract(
        "(" + "|".join(re.escape(u) for u in UNITS) + r")\s*$")
    fits = [f"{i}|{w}" for i, u in units.items() for w in allowed_units(u)]
    return [Rule(
        "breakdown", pl.col("indicator").is_not_null() & ~pair.is_in(pairs), "invalid_code",
        lit("口径不是该指标的口径（见指标目录）", "breakdown is not one of the indicator's")
        + pl.lit(": ") + pl.col("breakdown"),
    ), Rule(
        "target_value",
        written.is_not_null() & pl.col("indicator").is_in(list(units))
        & ~(pl.col("indicator") + pl.lit("|") + written).is_in(fits),
        "invalid_amount",
        lit("目标值的单位不是该指标的单位", "the target's unit is not the indicator's")
        + pl.lit(": ") + written + pl.lit(" ≠ ")
        + pl.col("indicator").replace_strict(units, default=None, return_dtype=pl.String),
    )]


SOURCE = Source(
    "targets",
    "年度目标任务",
    (
        Column("year", "年度", Kind.YEAR, key=True),
        Column("indicator", "指标代码", Kind.CODE, key=True),  # codes: indicator catalogue
        Column("breakdown", "口径", Kind.CODE, key=True, required=False),  # empty = total
        Column(
            "target_value",
            "年度目标值",
            Kind.QUANTITY,
            units=UNITS,
            positive=True,
        ),
    ),
    uses_catalogue=True,
    row_rules=row_rules,
    run_codes=run_codes,
    defaults={"breakdown": "total"},  # an empty breakdown is the indicator's total
)
