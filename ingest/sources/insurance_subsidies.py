"""资助参加基本医疗保险名单 (insurance_subsidies): persons whose basic medical insurance
contribution is paid for, per insurance year, from the medical security bureau (医疗保障局)."""

from __future__ import annotations

from ingest.contract import VILLAGE, Column, Kind, Source
from ingest.sources.medical_assistance import BENEFICIARIES

SOURCE = Source(
    "insurance_subsidies",
    "资助参加基本医疗保险名单",
    (
        Column("year", "参保年度", Kind.YEAR, key=True),
        Column(
            "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
        ),
        Column("region_code", "区划代码", Kind.REGION, level=VILLAGE),
        Column("beneficiary", "救助对象类别", Kind.CODE, codes=BENEFICIARIES),
        Column("amount", "资助金额", Kind.MONEY, aliases=("资助参保金额",)),
    ),
    agency="医疗保障局",
    depends_on=("regions",),
)
