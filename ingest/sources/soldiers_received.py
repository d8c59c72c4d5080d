"""退役士兵接收安置 (soldiers_received): discharged soldiers received by the district and
their placement."""

from __future__ import annotations

import polars as pl

from ingest.contract import PLACEMENTS, VILLAGE, Column, Kind, Source
from ingest.rules import Rule, lit, text


def row_rules(catalogue) -> list[Rule]:
    placed, received = pl.col("placed_on"), pl.col("received_on")
    return [Rule(
        "one_off_subsidy",
        pl.col("placement").is_not_null() & (pl.col("placement") != "self_employed")
        & (pl.col("one_off_subsidy") != 0),
        "invalid_amount",
        lit("一次性补助金仅发给自主就业，其他安置方式须为0",
            "one-off subsidy must be 0 unless self_employed") + pl.lit(": ")
        + text("one_off_subsidy"),
    ), Rule(
        "placed_on", placed < received, "invalid_date",
        lit("安置日期早于接收日期", "placed_on before received_on") + pl.lit(": ")
        + text("placed_on") + pl.lit(" < ") + text("received_on"),
    )]


SOURCE = Source(
    "soldiers_received",
    "退役士兵接收安置",
    (
        Column("name", "姓名", Kind.TEXT, pii=True),
        Column(
            "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
        ),
        Column("region_code", "区划代码", Kind.REGION, level=VILLAGE),
        Column(
            "rank_type",
            "退役类别",
            Kind.CODE,
            codes={"conscript": ("义务兵",), "nco": ("士官",)},
        ),
        Column("received_on", "接收日期", Kind.DATE),
        Column("placement", "安置方式", Kind.CODE, codes=PLACEMENTS),
        Column("one_off_subsidy", "一次性补助金", Kind.MONEY),
        # v2: empty while pending; >= received_on (else invalid_date)
        Column("placed_on", "安置日期", Kind.DATE, required=False),
    ),
    agency="退役军人事务局",
    depends_on=("regions",),
    row_rules=row_rules,
    # Great Expectations, a second line behind stage 1: placed_on >= received_on when given
    expectations=(("ExpectColumnPairValuesAToBeGreaterThanB",
                   {"column_A": "placed_on", "column_B": "received_on", "or_equal": True,
                    "ignore_row_if": "either_value_is_missing"}),),
)
