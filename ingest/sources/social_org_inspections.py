"""社会组织年检结果 (social_org_inspections): the annual inspection (or annual report) of each
organisation and year; an organisation not in social_organizations is ``unknown_org``."""

from __future__ import annotations

from ingest.contract import Column, Kind, Lookup, Source

CONCLUSIONS = {
    "pass": ("合格",),
    "basic_pass": ("基本合格",),
    "fail": ("不合格",),
    "absent": ("未参检",),
    "reported": ("已报告",),
}

IN_REGISTER = Lookup(
    "credit_code",
    "unknown_org",
    "s.credit_code IS NOT NULL AND so.cc IS NULL",
    "'统一社会信用代码不在社会组织登记台账中 / organisation not in social_organizations'",
    join="LEFT JOIN (SELECT DISTINCT credit_code AS cc FROM raw.social_organizations) so "
    "ON s.credit_code = so.cc",
    existence_only=True,
)


SOURCE = Source(
    "social_org_inspections",
    "社会组织年检结果",
    (
        Column("credit_code", "统一社会信用代码", Kind.CREDIT_CODE, key=True),
        Column("year", "年检年度", Kind.YEAR, key=True),
        Column("conclusion", "结论", Kind.CODE, codes=CONCLUSIONS, aliases=("年检结论",)),
        Column("concluded_on", "结论日期", Kind.DATE),
    ),
    depends_on=("social_organizations",),
    lookups=(IN_REGISTER,),
)
