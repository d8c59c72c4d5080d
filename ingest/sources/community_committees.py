"""村(居)民委员会 (community_committees): a snapshot, one row per village committee; women
members above members is ``invalid_count``. The committee type is the village's
``committee_type`` in regions."""

from __future__ import annotations

from ingest.contract import VILLAGE, Column, Kind, Source
from ingest.rules import Rule, at_most


def row_rules(catalogue) -> list[Rule]:
    return [at_most("members_female", "members", "invalid_count", "女性成员数超过成员数")]

# Great Expectations, behind stage 1: women members within members
EXPECTATIONS = (
    ("ExpectColumnPairValuesAToBeGreaterThanB",
     {"column_A": "members", "column_B": "members_female", "or_equal": True}),
)


SOURCE = Source(
    "community_committees",
    "村(居)民委员会",
    (
        Column("region_code", "区划代码", Kind.REGION, key=True, level=VILLAGE),
        Column("term", "届次", Kind.COUNT, min_count=1),
        Column("elected_on", "本届选举日期", Kind.DATE),
        Column("reelection", "是否重新选举", Kind.BOOL),
        Column("members", "成员数", Kind.COUNT, min_count=1),
        Column("members_female", "其中女性", Kind.COUNT, aliases=("女性成员数",)),
        Column("supervision", "村(居)务监督委员会", Kind.BOOL,
               aliases=("是否建立村(居)务监督委员会",)),
    ),
    depends_on=("regions",),
    row_rules=row_rules,
    expectations=EXPECTATIONS,
)
