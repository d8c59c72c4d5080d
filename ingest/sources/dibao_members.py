"""低保家庭成员 (dibao_members): the members of the households on the 低保 roster."""

from __future__ import annotations

from ingest.contract import Column, Kind, Lookup, Source

IN_ROSTER = Lookup(
    "household_id",
    "unknown_household",
    "s.household_id IS NOT NULL AND hh.hid IS NULL",
    "'户编号 ' || s.household_id || ' 不在低保发放名册中 / not in dibao_households'",
    join="LEFT JOIN (SELECT DISTINCT household_id AS hid FROM raw.dibao_households) hh "
    "ON s.household_id = hh.hid",
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
    ),
    depends_on=("dibao_households",),
    lookups=(IN_ROSTER,),
)
