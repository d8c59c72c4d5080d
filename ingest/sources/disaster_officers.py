"""灾害信息员名册 (disaster_officers): the disaster information officers and their phones."""

from __future__ import annotations

from ingest.contract import VILLAGE, Column, Kind, Source

SOURCE = Source(
    "disaster_officers",
    "灾害信息员名册",
    (
        Column("name", "姓名", Kind.TEXT, pii=True),
        Column(
            "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
        ),
        Column("region_code", "区划代码", Kind.REGION, level=VILLAGE),
        Column("phone", "联系电话", Kind.PHONE, pii=True, aliases=("手机号码", "电话")),
        Column("active", "在岗", Kind.BOOL, aliases=("是否在岗",)),
    ),
    agency="应急管理局",
    depends_on=("regions",),
)
