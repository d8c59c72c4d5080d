"""行政区划及人口 (regions): the district, its townships and villages, with the villages'
urban-rural code and population. Every other source's region codes are checked against it."""

from __future__ import annotations

import polars as pl

from ingest.contract import DISTRICT, TOWNSHIP, URBAN_RURAL_CODES, VILLAGE, Column, Kind, Lookup, Source
from ingest.rules import Rule, lit


def row_rules(catalogue) -> list[Rule]:
    """Code shape by level, the parent code, and what a village must give."""
    code, level, parent = pl.col("region_code"), pl.col("level"), pl.col("parent_code")
    tail6, ttt, vvv = code.str.slice(6, 6), code.str.slice(6, 3), code.str.slice(9, 3)
    shape_ok = (
        pl.when(level == "district").then(tail6 == "000000")
        .when(level == "township").then((ttt != "000") & (vvv == "000"))
        .when(level == "village").then((ttt != "000") & (vvv != "000"))
        .otherwise(True)
    )
    expected_parent = (
        pl.when(level == "township").then(code.str.slice(0, 6) + "000000")
        .when(level == "village").then(code.str.slice(0, 9) + "000")
        .otherwise(None)
    )
    village = level == "village"
    rules = [
        Rule("region_code", ~shape_ok, "invalid_code", lit(
            "区划代码与层级不符（区县PPCCDD000000、乡镇PPCCDDTTT000、村居PPCCDDTTTVVV）",
            "region code does not fit its level") + pl.lit(": ") + code + pl.lit(" / ") + level),
        Rule("parent_code", (level == "district") & parent.is_not_null(), "invalid_code",
             lit("区县一级不应填写上级代码", "a district has no parent code")),
        Rule("parent_code", level.is_in(["township", "village"]) & parent.is_null(),
             "missing_value", lit("乡镇和村居须填写上级代码", "parent code required")),
        Rule("parent_code", parent != expected_parent, "invalid_code", lit(
            "上级代码与区划代码前缀不一致", "parent code does not match the region code's prefix")
             + pl.lit(": ") + parent + pl.lit(" ≠ ") + expected_parent),
    ]
    for name, zh in (("urban_rural_code", "城乡分类代码"), ("resident_population", "常住人口"),
                     ("registered_population", "户籍人口")):
        rules.append(Rule(name, village & pl.col(name).is_null(), "missing_value",
                          lit(f"村居须填写{zh}", f"{name} is required for a village")))
    return rules


# the parent must be a region of the level above in the regions file itself (rows that passed
# stage 1 of the same load)
PARENT_IN_FILE = Lookup(
    "parent_code",
    "unknown_region",
    "s.parent_code IS NOT NULL AND s.level IN ('township', 'village') AND NOT coalesce(CASE "
    "s.level WHEN 'township' THEN par.d WHEN 'village' THEN par.t END, false)",
    "'上级代码 ' || s.parent_code || ' 不是区划表中上一级的区划 / parent code is not a region of "
    "the level above in the regions file'",
    join="LEFT JOIN (SELECT region_code AS rc, bool_or(level = 'district') AS d, "
    "bool_or(level = 'township') AS t FROM _ing_p WHERE _err_reason IS NULL GROUP BY 1) par "
    "ON s.parent_code = par.rc",
    reads_own_rows=True,
)


SOURCE = Source(
    "regions",
    "行政区划及人口",
    (
        Column("region_code", "区划代码", Kind.REGION_CODE, key=True, aliases=("行政区划代码",)),
        Column("region_name", "名称", Kind.TEXT, aliases=("区划名称", "名 称")),
        Column(
            "level",
            "层级",
            Kind.CODE,
            codes={
                DISTRICT: ("区县", "区", "县"),
                TOWNSHIP: ("乡镇街道", "乡镇", "街道"),
                VILLAGE: ("村居", "村", "社区"),
            },
        ),
        Column(
            "parent_code",
            "上级代码",
            Kind.REGION_CODE,
            required=False,
            aliases=("上级区划代码",),
        ),
        Column(
            "urban_rural_code",
            "城乡分类代码",
            Kind.CODE,
            required=False,
            codes=URBAN_RURAL_CODES,
        ),
        Column("resident_population", "常住人口", Kind.COUNT, required=False),
        Column("registered_population", "户籍人口", Kind.COUNT, required=False),
        # v2, villages only, optional; the defaults (empty = cremation_zone; committee type
        # from the area class) are filled in staging (stg_raw__regions)
        Column("burial_zone", "殡葬改革区域", Kind.CODE, required=False,
               codes={"cremation_zone": ("火葬区",), "burial_reform_zone": ("土葬改革区",)}),
        Column("committee_type", "委员会类型", Kind.CODE, required=False,
               codes={"village_committee": ("村民委员会", "村委会"),
                      "residents_committee": ("居民委员会", "居委会")}),
    ),
    row_rules=row_rules,
    lookups=(PARENT_IN_FILE,),
)
