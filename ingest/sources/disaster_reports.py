"""自然灾害情况报告 (disaster_reports): initial, update and final reports of a disaster per
township."""

from __future__ import annotations

import polars as pl

from ingest.contract import HAZARDS, TOWNSHIP, Column, Kind, Source
from ingest.rules import Rule, at_most, lit


def row_rules(catalogue) -> list[Rule]:
    return [
        at_most("relocated_persons", "affected_persons", "invalid_count", "紧急转移安置人口超过受灾人口"),
        at_most("crop_failed_ha", "crop_affected_ha", "invalid_amount", "绝收面积超过受灾面积"),
        Rule("reported_at", pl.col("reported_at") < pl.col("started_at"), "invalid_date",
             lit("报告时间早于灾害发生时间", "reported_at is before started_at")),
    ]


SOURCE = Source(
    "disaster_reports",
    "自然灾害情况报告",
    (
        Column("event_id", "灾害编号", Kind.TEXT, key=True),
        Column("hazard", "灾种", Kind.CODE, codes=HAZARDS),
        Column("region_code", "区划代码", Kind.REGION, key=True, level=TOWNSHIP),
        Column(
            "stage",
            "报告阶段",
            Kind.CODE,
            key=True,
            codes={"initial": ("初报",), "update": ("续报",), "final": ("核报",)},
        ),
        Column("started_at", "灾害发生时间", Kind.DATETIME),
        Column("reported_at", "报告时间", Kind.DATETIME, key=True),
        Column("affected_persons", "受灾人口", Kind.COUNT),
        Column("relocated_persons", "紧急转移安置人口", Kind.COUNT),
        Column("crop_affected_ha", "农作物受灾面积（公顷）", Kind.QUANTITY, units=("公顷",)),
        Column("crop_failed_ha", "农作物绝收面积（公顷）", Kind.QUANTITY, units=("公顷",)),
        Column("collapsed_households", "倒塌房屋户数", Kind.COUNT),
        Column("collapsed_rooms", "倒塌房屋间数", Kind.COUNT),
        Column("damaged_households", "损坏房屋户数", Kind.COUNT),
        Column("damaged_rooms", "损坏房屋间数", Kind.COUNT),
        Column("direct_loss_10k", "直接经济损失（万元）", Kind.QUANTITY, units=("万元",)),
    ),
    agency="应急管理局",
    depends_on=("regions",),
    row_rules=row_rules,
)
