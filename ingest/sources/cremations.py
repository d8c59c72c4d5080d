"""遗体火化登记 (cremations): the funeral home's cremations; the ID number is optional (无名遗体),
an empty region means from outside the district, and cremated_on before died_on is
``invalid_date``."""

from __future__ import annotations

import polars as pl

from ingest.contract import VILLAGE, Column, Kind, Source
from ingest.rules import Rule, lit, text


def row_rules(catalogue) -> list[Rule]:
    return [Rule("cremated_on", pl.col("cremated_on") < pl.col("died_on"), "invalid_date",
                 lit("火化日期早于死亡日期", "cremated_on before died_on") + pl.lit(": ")
                 + text("cremated_on") + pl.lit(" < ") + text("died_on"))]

# Great Expectations, behind stage 1: no cremation before the death
EXPECTATIONS = (
    ("ExpectColumnPairValuesAToBeGreaterThanB",
     {"column_A": "cremated_on", "column_B": "died_on", "or_equal": True}),
)


SOURCE = Source(
    "cremations",
    "遗体火化登记",
    (
        Column("cremation_id", "火化编号", Kind.TEXT, key=True),
        Column("id_number", "逝者身份证号", Kind.ID_NUMBER, required=False, pii=True,
               aliases=("身份证号",)),
        Column("region_code", "户籍区划代码", Kind.REGION, required=False, level=VILLAGE),
        Column("died_on", "死亡日期", Kind.DATE),
        Column("cremated_on", "火化日期", Kind.DATE),
        Column("fee_waiver", "惠民殡葬减免金额", Kind.MONEY, required=False),
    ),
    agency="殡仪馆",
    depends_on=("regions",),
    row_rules=row_rules,
    expectations=EXPECTATIONS,
)
