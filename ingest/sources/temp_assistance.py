"""临时救助发放记录 (temp_assistance): one-off 临时救助 payments."""

from __future__ import annotations

from ingest.contract import VILLAGE, Column, Kind, Source

SOURCE = Source(
    "temp_assistance",
    "临时救助发放记录",
    (
        Column("case_id", "救助编号", Kind.TEXT, key=True),
        Column("applicant_id_number", "申请人身份证号", Kind.ID_NUMBER, pii=True),
        Column("region_code", "区划代码", Kind.REGION, level=VILLAGE),
        Column("paid_on", "救助日期", Kind.DATE),
        Column(
            "reason",
            "救助原因",
            Kind.CODE,
            codes={z: () for z in ("火灾", "交通事故", "突发重病", "自然灾害", "其他")},
        ),
        Column("persons", "救助人数", Kind.COUNT, min_count=1),
        Column("amount", "救助金额", Kind.MONEY),
    ),
    depends_on=("regions",),
)
