"""低保标准 (dibao_standards): the monthly 低保 standard per tier (city, town, rural) from its
effective month."""

from __future__ import annotations

from ingest.contract import Column, Kind, Source

SOURCE = Source(
    "dibao_standards",
    "低保标准",
    (
        Column("effective_month", "执行月份", Kind.MONTH, key=True),
        Column(
            "tier",
            "标准类别",
            Kind.CODE,
            key=True,
            codes={"city": ("城市",), "town": ("城镇",), "rural": ("农村",)},
        ),
        Column("monthly_standard", "月保障标准", Kind.MONEY, aliases=("保障标准",)),
    ),
)
