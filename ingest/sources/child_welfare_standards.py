"""儿童基本生活费标准 (child_welfare_standards): the monthly standard of 孤儿 and 事实无人抚养儿童
basic living costs per category and care type from its effective month."""

from __future__ import annotations

from ingest.contract import Column, Kind, Source

# 儿童类别 and 养育方式 (child_welfare_payments and its standards)
CHILD_CATEGORIES = {"orphan": ("孤儿",), "de_facto": ("事实无人抚养儿童",)}
CHILD_CARE_TYPES = {"institutional": ("集中养育",), "family": ("社会散居",)}

SOURCE = Source(
    "child_welfare_standards",
    "儿童基本生活费标准",
    (
        Column("effective_month", "执行月份", Kind.MONTH, key=True),
        Column("category", "儿童类别", Kind.CODE, key=True, codes=CHILD_CATEGORIES),
        Column("care_type", "养育方式", Kind.CODE, key=True, codes=CHILD_CARE_TYPES),
        Column("monthly_standard", "月标准", Kind.MONEY, aliases=("月保障标准",)),
    ),
)
