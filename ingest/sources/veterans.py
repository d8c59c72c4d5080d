"""优抚对象名册 (veterans): people entitled to 优抚 benefits, with their category and, for
disabled veterans, the disability grade."""

from __future__ import annotations

import polars as pl

from ingest.contract import VETERAN_CATEGORIES, VILLAGE, Column, Kind, Source
from ingest.rules import Rule, lit, text

# 一级 … 十级, as clerks write the grade
GRADES_ZH = {f"{zh}级": str(i) for i, zh in enumerate("一二三四五六七八九十", start=1)}


def row_rules(catalogue) -> list[Rule]:
    grade, disabled = pl.col("disability_grade"), pl.col("category") == "disabled"
    return [
        Rule("disability_grade", disabled & (grade.is_null() | (grade < 1) | (grade > 10)),
             "invalid_code", lit("残疾军人须填残疾等级1–10级", "disabled veterans need a grade "
                                 "1–10") + pl.lit(": ") + text("disability_grade").fill_null("空")),
        Rule("disability_grade", pl.col("category").is_not_null() & ~disabled
             & grade.is_not_null(), "invalid_code",
             lit("非残疾军人不应填残疾等级", "only disabled veterans have a grade")),
    ]


SOURCE = Source(
    "veterans",
    "优抚对象名册",
    (
        Column("name", "姓名", Kind.TEXT, pii=True),
        Column(
            "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
        ),
        Column("region_code", "区划代码", Kind.REGION, level=VILLAGE),
        Column("category", "优抚类别", Kind.CODE, codes=VETERAN_CATEGORIES),
        Column(
            "disability_grade",
            "残疾等级",
            Kind.COUNT,
            required=False,
            units=("级",),
            spellings=GRADES_ZH,
            reason="invalid_code",
        ),
        Column("recognised_on", "认定日期", Kind.DATE),
        Column("ended_on", "注销日期", Kind.DATE, required=False),
    ),
    agency="退役军人事务局",
    depends_on=("regions",),
    row_rules=row_rules,
    # Status dates reach back decades (a veteran recognised in 1993 is still on the roster):
    # the 2000 floor, meant to catch typos in reporting dates, would drop real people.
    date_floors={"recognised_on": 1900, "ended_on": 1900},
)
