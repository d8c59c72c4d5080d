"""年度目标任务 (targets): the year's target per indicator and breakdown; indicators and
breakdowns are the indicator catalogue's (dbt seed)."""

from __future__ import annotations

import polars as pl

from ingest.contract import Column, Kind, Source
from ingest.rules import Rule, lit


def run_codes(catalogue) -> dict[str, dict]:
    """Indicators and breakdowns are the catalogue's; ``total`` is every indicator's."""
    breakdowns = {b for bs in catalogue.values() for b in bs} | {"total"}
    return {"indicator": {k: () for k in catalogue}, "breakdown": {b: () for b in breakdowns}}


def row_rules(catalogue) -> list[Rule]:
    pairs = [f"{i}|{b}" for i, bs in catalogue.items() for b in bs]
    pair = pl.col("indicator") + pl.lit("|") + pl.col("breakdown")
    return [Rule(
        "breakdown", pl.col("indicator").is_not_null() & ~pair.is_in(pairs), "invalid_code",
        lit("口径不是该指标的口径（见指标目录）", "breakdown is not one of the indicator's")
        + pl.lit(": ") + pl.col("breakdown"),
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
            units=("人次", "户次", "万元", "元", "人", "户", "间", "次", "公顷", "倍", "%", "百分点"),
            positive=True,
        ),
    ),
    uses_catalogue=True,
    row_rules=row_rules,
    run_codes=run_codes,
    defaults={"breakdown": "total"},  # an empty breakdown is the indicator's total
)
