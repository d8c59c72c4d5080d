"""流浪乞讨人员救助登记 (vagrant_assistance): each assistance case by the township where the
person was found (or the station's); the ID number is optional (unidentified persons), and
ended_on before started_on is ``invalid_date``."""

from __future__ import annotations

import polars as pl

from ingest.contract import TOWNSHIP, Column, Kind, Source
from ingest.rules import Rule, lit, text

MODES = {"in_station": ("站内救助",), "outreach": ("街面救助",)}
OUTCOMES = {
    "left": ("自行离站",),
    "ticket_home": ("购票返乡",),
    "escorted_home": ("护送返乡",),
    "family_found": ("寻亲成功",),
    "referred": ("转介安置",),
    "other": ("其他",),
}
GROUPS = {
    "minor": ("未成年人",),
    "elderly": ("老年人",),
    "disabled": ("残疾人",),
    "mental": ("精神障碍患者",),
    "other": ("其他",),
}


def row_rules(catalogue) -> list[Rule]:
    return [Rule("ended_on", pl.col("ended_on") < pl.col("started_on"), "invalid_date",
                 lit("离站日期早于救助日期", "ended_on before started_on") + pl.lit(": ")
                 + text("ended_on") + pl.lit(" < ") + text("started_on"))]

# Great Expectations, behind stage 1: no leaving before the start
EXPECTATIONS = (
    ("ExpectColumnPairValuesAToBeGreaterThanB",
     {"column_A": "ended_on", "column_B": "started_on", "or_equal": True,
      "ignore_row_if": "either_value_is_missing"}),
)


SOURCE = Source(
    "vagrant_assistance",
    "流浪乞讨人员救助登记",
    (
        Column("case_id", "救助编号", Kind.TEXT, key=True),
        Column("id_number", "身份证号", Kind.ID_NUMBER, required=False, pii=True,
               aliases=("身份证号码",)),
        Column("region_code", "区划代码", Kind.REGION, level=TOWNSHIP),
        Column("started_on", "救助日期", Kind.DATE),
        Column("ended_on", "离站日期", Kind.DATE, required=False),
        Column("mode", "救助方式", Kind.CODE, codes=MODES),
        Column("outcome", "去向", Kind.CODE, codes=OUTCOMES),
        Column("group", "人员类别", Kind.CODE, required=False, codes=GROUPS),
        Column("amount", "救助金额", Kind.MONEY, required=False),
    ),
    depends_on=("regions",),
    row_rules=row_rules,
    expectations=EXPECTATIONS,
)
