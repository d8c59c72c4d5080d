"""殡葬违规处置记录 (burial_enforcement): burial violations found and how each was handled."""

from __future__ import annotations

from ingest.contract import VILLAGE, Column, Kind, Source

VIOLATIONS = {
    "illegal_burial": ("违规土葬",),
    "scattered_burial": ("乱埋乱葬",),
    "illegal_hall": ("违规搭建灵堂",),
    "other": ("其他",),
}
ACTIONS = {
    "persuaded": ("劝导纠正",),
    "exhumed_cremated": ("起葬火化",),
    "fined": ("经济处罚",),
    "confiscated": ("收缴设施",),
    "pending": ("未处理",),
}


SOURCE = Source(
    "burial_enforcement",
    "殡葬违规处置记录",
    (
        Column("case_id", "案件编号", Kind.TEXT, key=True),
        Column("region_code", "区划代码", Kind.REGION, level=VILLAGE),
        Column("found_on", "发现日期", Kind.DATE),
        Column("violation", "违规类型", Kind.CODE, codes=VIOLATIONS),
        Column("action", "处理方式", Kind.CODE, codes=ACTIONS),
        Column("fine", "罚款金额", Kind.MONEY, required=False),
    ),
    depends_on=("regions",),
)
