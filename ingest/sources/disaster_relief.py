"""救灾款物发放 (disaster_relief): funds and goods paid out for a reported disaster."""

from __future__ import annotations

from ingest.contract import TOWNSHIP, Column, Kind, Lookup, Source

RELIEF_TYPES = {
    "emergency": ("应急救助",),
    "transition": ("过渡期生活救助",),
    "winter_spring": ("冬春生活救助",),
    "rebuild": ("倒损住房恢复重建",),
}

# relief is paid for an event reported in that very township
EVENT_REPORTED = Lookup(
    "event_id",
    "unknown_event",
    "s.event_id IS NOT NULL AND s.region_code IS NOT NULL AND ev.e IS NULL",
    "'灾害编号 ' || s.event_id || ' 在乡镇 ' || s.region_code || ' 没有灾情报告 / no disaster "
    "report for this (event_id, region_code)'",
    join="LEFT JOIN (SELECT DISTINCT event_id AS e, region_code AS r FROM raw.disaster_reports) "
    "ev ON s.event_id = ev.e AND s.region_code = ev.r",
    existence_only=True,
)


SOURCE = Source(
    "disaster_relief",
    "救灾款物发放",
    (
        Column("relief_id", "发放编号", Kind.TEXT, key=True),
        Column("event_id", "灾害编号", Kind.TEXT),
        Column("region_code", "区划代码", Kind.REGION, level=TOWNSHIP),
        Column("paid_at", "发放时间", Kind.DATETIME),
        Column("persons", "救助人数", Kind.COUNT),
        Column("funds", "救灾资金（元）", Kind.MONEY),
        Column("quilts", "棉被（床）", Kind.COUNT, required=False),
        Column("clothes", "衣物（件）", Kind.COUNT, required=False),
        Column(
            "grain_kg",
            "粮食（公斤）",
            Kind.QUANTITY,
            required=False,
            units=("公斤", "千克", "kg"),
        ),
        # v2
        Column("relief_type", "救助类型", Kind.CODE, required=False, codes=RELIEF_TYPES),
        Column("households", "救助户数", Kind.COUNT, required=False),
    ),
    defaults={"relief_type": "emergency"},  # v2: empty = 应急救助
    agency="应急管理局",
    depends_on=("regions", "disaster_reports"),
    lookups=(EVENT_REPORTED,),
)
