"""死亡人口信息 (deaths): deaths by the village of 户籍, from the police's 户籍注销 or the health
commission's 死亡医学证明 (data contract v2, Social affairs)."""

from __future__ import annotations

from ingest.contract import VILLAGE, Column, Kind, Source

SOURCE = Source(
    "deaths",
    "死亡人口信息",
    (
        Column("name", "姓名", Kind.TEXT, pii=True),
        Column(
            "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
        ),
        Column("region_code", "区划代码", Kind.REGION, level=VILLAGE),
        Column("died_on", "死亡日期", Kind.DATE),
        Column(
            "origin",
            "信息来源",
            Kind.CODE,
            codes={"police": ("公安户籍注销",), "health": ("死亡医学证明",), "other": ("其他",)},
        ),
    ),
    agency="公安局",
    depends_on=("regions",),
)
