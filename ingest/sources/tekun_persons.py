"""特困人员救助供养名册 (tekun_persons): the monthly roster of 特困 persons and their support."""

from __future__ import annotations

from ingest.contract import VILLAGE, Column, Kind, Source

SOURCE = Source(
    "tekun_persons",
    "特困人员救助供养名册",
    (
        Column("month", "发放月份", Kind.MONTH, key=True),
        Column("name", "姓名", Kind.TEXT, pii=True),
        Column(
            "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
        ),
        Column("region_code", "区划代码", Kind.REGION, level=VILLAGE),
        Column(
            "care_type",
            "供养方式",
            Kind.CODE,
            codes={"centralized": ("集中供养",), "dispersed": ("分散供养",)},
        ),
        Column("monthly_amount", "月供养金额", Kind.MONEY),
        # v2: empty = from the village's area class (11x/12x urban, 2xx rural), filled in
        # staging (stg_raw__tekun_persons) from raw.village_area_classes
        Column(
            "urban_rural",
            "城乡类别",
            Kind.CODE,
            required=False,
            codes={"urban": ("城市", "城市特困", "三无"), "rural": ("农村", "农村特困", "五保")},
        ),
    ),
    monthly=True,
    completeness=True,  # §7 reporting completeness
    depends_on=("regions",),
)
