"""低保家庭成员 (dibao_members): the members of the households on the 低保 roster."""

from __future__ import annotations

import polars as pl

from ingest.contract import Column, Kind, Lookup, Source
from ingest.rules import Rule, lit, text
from ingest.sources.veterans import GRADES_ZH

# 残疾等级 of a 残疾人证 (GB/T 26341-2010): 一级 (most severe) … 四级
DISABILITY_GRADES = range(1, 5)


def row_rules(catalogue) -> list[Rule]:
    grade = pl.col("disability_grade")
    return [Rule("disability_grade", grade.is_not_null() & ~grade.is_in(list(DISABILITY_GRADES)),
                 "invalid_code", lit("残疾等级须为一级至四级", "disability grade must be 1–4")
                 + pl.lit(": ") + text("disability_grade"))]


IN_ROSTER = Lookup(
    "household_id",
    "unknown_household",
    "s.household_id IS NOT NULL AND hh.hid IS NULL",
    "'户编号 ' || s.household_id || ' 不在低保发放名册中 / not in dibao_households'",
    join="LEFT JOIN (SELECT DISTINCT household_id AS hid FROM raw.dibao_households) hh "
    "ON s.household_id = hh.hid",
    existence_only=True,
)


SOURCE = Source(
    "dibao_members",
    "低保家庭成员",
    (
        Column("household_id", "户编号", Kind.TEXT),
        Column("name", "姓名", Kind.TEXT, pii=True),
        Column(
            "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
        ),
        Column(
            "relation",
            "与户主关系",
            Kind.CODE,
            codes={z: () for z in ("户主", "配偶", "子女", "父母", "其他")},
        ),
        Column("covered", "是否保障对象", Kind.BOOL),
        # v2: empty = no disability certificate
        Column("disability_grade", "残疾等级", Kind.COUNT, required=False, units=("级",),
               spellings=GRADES_ZH, reason="invalid_code"),
    ),
    depends_on=("dibao_households",),
    row_rules=row_rules,
    # Great Expectations, a second line behind stage 1: grades 1–4 (empty = no certificate)
    expectations=(("ExpectColumnValuesToBeBetween",
                   {"column": "disability_grade", "min_value": 1, "max_value": 4}),),
    lookups=(IN_ROSTER,),
)
