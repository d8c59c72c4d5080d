"""老年人优待证发放 (senior_cards): senior cards issued, one row per card."""

from __future__ import annotations

from ingest.contract import VILLAGE, Column, Kind, Source

SOURCE = Source(
    "senior_cards",
    "老年人优待证发放",
    (
        Column("card_id", "证号", Kind.TEXT, key=True, aliases=("优待证号",)),
        Column("id_number", "身份证号", Kind.ID_NUMBER, pii=True, aliases=("身份证号码",)),
        Column("region_code", "区划代码", Kind.REGION, level=VILLAGE),
        Column("issued_on", "发证日期", Kind.DATE),
    ),
    depends_on=("regions",),
)
