"""社会组织登记台账 (social_organizations): registered social organisations by their unified
social credit code (GB 32100 check: ``invalid_credit_code``); ended_on before registered_on is
``invalid_date``. Organisation names are public; the legal representative and phone are PII."""

from __future__ import annotations

import polars as pl

from ingest.contract import DISTRICT, TOWNSHIP, Column, Kind, Source
from ingest.rules import Rule, lit, text

ORG_TYPES = {
    "association": ("社会团体",),
    "private_non_enterprise": ("民办非企业单位", "社会服务机构"),
    "foundation": ("基金会",),
}


def row_rules(catalogue) -> list[Rule]:
    return [Rule("ended_on", pl.col("ended_on") < pl.col("registered_on"), "invalid_date",
                 lit("注销撤销日期早于成立登记日期", "ended_on before registered_on") + pl.lit(": ")
                 + text("ended_on") + pl.lit(" < ") + text("registered_on"))]

# Great Expectations, behind stage 1: no end before the registration
EXPECTATIONS = (
    ("ExpectColumnPairValuesAToBeGreaterThanB",
     {"column_A": "ended_on", "column_B": "registered_on", "or_equal": True,
      "ignore_row_if": "either_value_is_missing"}),
)


SOURCE = Source(
    "social_organizations",
    "社会组织登记台账",
    (
        Column("credit_code", "统一社会信用代码", Kind.CREDIT_CODE, key=True),
        Column("org_name", "名称", Kind.TEXT, aliases=("组织名称", "社会组织名称")),
        Column("org_type", "类型", Kind.CODE, codes=ORG_TYPES, aliases=("组织类型",)),
        Column("charity", "是否慈善组织", Kind.BOOL),
        Column("registered_on", "成立登记日期", Kind.DATE),
        Column("ended_on", "注销撤销日期", Kind.DATE, required=False),
        Column("region_code", "区划代码", Kind.REGION, level=f"{TOWNSHIP}|{DISTRICT}"),
        Column("legal_rep", "法定代表人", Kind.TEXT, required=False, pii=True),
        Column("phone", "联系电话", Kind.PHONE, required=False, pii=True),
    ),
    depends_on=("regions",),
    row_rules=row_rules,
    expectations=EXPECTATIONS,
    # organisations registered before 2000 are real (社会团体 since the 1950s)
    date_floors={"registered_on": 1950, "ended_on": 1950},
)
