"""低收入家庭认定 (lowincome_households): households assessed as low-income."""

from __future__ import annotations

from ingest.contract import VILLAGE, Column, Kind, Source

SOURCE = Source(
    "lowincome_households",
    "低收入家庭认定",
    (
        Column("household_id", "户编号", Kind.TEXT, key=True),
        Column(
            "head_id_number",
            "户主身份证号",
            Kind.ID_NUMBER,
            pii=True,
            aliases=("户主身份证号码",),
        ),
        Column("region_code", "区划代码", Kind.REGION, level=VILLAGE),
        Column("family_size", "家庭人口", Kind.COUNT, min_count=1, aliases=("家庭人口数",)),
        Column("per_capita_income", "家庭月人均收入", Kind.MONEY),
        Column("assessed_on", "认定日期", Kind.DATE),
    ),
    depends_on=("regions",),
)
