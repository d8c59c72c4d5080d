"""老年人补贴标准 (elderly_subsidy_standards): the monthly standard of each elderly subsidy per
age band from its effective month. Bands are data (``80_89``, ``90_94``, ``100_plus``…): no
band is written in code; a label of another form is ``invalid_code``, and rows of one subsidy
and effective month whose bands overlap are all ``conflicting_duplicate`` (data contract v2)."""

from __future__ import annotations

import polars as pl

from ingest.ages import BAND_PATTERN, band_bounds_sql
from ingest.contract import Column, Kind, Lookup, Source
from ingest.rules import Rule, lit, text

# 补贴类型 (elderly_subsidies and its standards): canonical slug -> accepted spellings
ELDERLY_SUBSIDIES = {
    "longevity": ("高龄津贴",),
    "care": ("护理补贴",),
    "service": ("养老服务补贴",),
    "combined": ("综合补贴",),
}


def row_rules(catalogue) -> list[Rule]:
    band = pl.col("age_band")
    parts = band.str.split("_")
    low = parts.list.get(0, null_on_oob=True).cast(pl.Int32, strict=False)
    high = parts.list.get(1, null_on_oob=True).cast(pl.Int32, strict=False)
    bad = ~band.str.contains(BAND_PATTERN) | (high.is_not_null() & (low > high))
    return [Rule("age_band", bad, "invalid_code",
                 lit("年龄段须写作“80_89”（80至89周岁）或“100_plus”（100周岁及以上）",
                     "age band must be <a>_<b> (a ≤ b) or <a>_plus") + pl.lit(": ")
                 + text("age_band"))]


_LO, _HI = band_bounds_sql("s.age_band")
_OLO, _OHI = band_bounds_sql("o.age_band")
# another row of the same subsidy and effective month (of this load, passing stage 1) whose
# band overlaps this one's: every row of such a set is quarantined, none can be trusted
OVERLAPPING = Lookup(
    "age_band",
    "conflicting_duplicate",
    "ov.age_band IS NOT NULL",
    "'与同一补贴类型、执行月份的年龄段 ' || ov.age_band || ' 重叠 / overlaps band ' || "
    "ov.age_band || ' of the same subsidy and effective month'",
    join=("LEFT JOIN LATERAL (SELECT min(o.age_band) AS age_band FROM _ing_p o "
          "WHERE o._err_reason IS NULL AND o.subsidy = s.subsidy "
          "AND o.effective_month = s.effective_month AND o.age_band <> s.age_band "
          f"AND {_OLO} <= {_HI} AND {_LO} <= {_OHI}) ov ON s._err_reason IS NULL"),
    reads_own_rows=True,
)


SOURCE = Source(
    "elderly_subsidy_standards",
    "老年人补贴标准",
    (
        Column("effective_month", "执行月份", Kind.MONTH, key=True),
        Column("subsidy", "补贴类型", Kind.CODE, key=True, codes=ELDERLY_SUBSIDIES),
        Column("age_band", "年龄段", Kind.TEXT, key=True),
        Column("monthly_standard", "月标准", Kind.MONEY, aliases=("月补贴标准",)),
    ),
    row_rules=row_rules,
    lookups=(OVERLAPPING,),
)
