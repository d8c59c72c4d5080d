"""优抚金发放 (veteran_payments): monthly benefits paid to people on the veterans roster."""

from __future__ import annotations

from ingest.contract import BENEFITS, Column, Kind, Lookup, Source

ON_ROSTER = Lookup(
    "id_number",
    "unknown_person",
    "s.id_number IS NOT NULL AND vv.pid IS NULL",
    "'身份证号不在优抚对象名册中 / person not in the veterans roster'",
    join="LEFT JOIN (SELECT DISTINCT id_number AS pid FROM raw.veterans) vv "
    "ON s.id_number = vv.pid",
    existence_only=True,
)


SOURCE = Source(
    "veteran_payments",
    "优抚金发放",
    (
        Column("month", "发放月份", Kind.MONTH, key=True),
        Column(
            "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
        ),
        Column("benefit", "待遇类型", Kind.CODE, key=True, codes=BENEFITS),
        Column("amount", "金额", Kind.MONEY, aliases=("发放金额",)),
    ),
    monthly=True,
    completeness=True,  # §7 reporting completeness, by the veteran's village
    region_from=("veterans", "id_number"),
    agency="退役军人事务局",
    depends_on=("veterans",),
    lookups=(ON_ROSTER,),
)
