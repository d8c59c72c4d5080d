"""城乡低保资金发放名册 (dibao_households): the monthly 低保 roster, one row per household,
with the amount checked against covered persons × the standard of its tier in force."""

from __future__ import annotations

from ingest.contract import VILLAGE, Column, Kind, Lookup, Source
from ingest.rules import Rule, at_most


def row_rules(catalogue) -> list[Rule]:
    return [at_most("covered_persons", "family_size", "invalid_count", "保障人数超过家庭人口")]


# each row with its tier and the standard of that tier in force in its month: the contract's
# tier rule and standard in force, as the raw views of ingest/warehouse.py give them
JUDGED_SQL = """
CREATE OR REPLACE TEMP VIEW _ing_s AS
SELECT s.*, t.tier AS _std_tier, f.monthly_standard AS _std
FROM _ing_p s
LEFT JOIN raw.village_area_classes v ON v.region_code = s.region_code
LEFT JOIN raw.dibao_tier_rules t ON t.program = s.program
  AND t.area_class IS NOT DISTINCT FROM v.area_class
LEFT JOIN raw.dibao_standard_in_force f ON f.tier = t.tier
  AND s.month >= f.effective_month AND s.month < f.until_month
"""

_TIER_ZH = "CASE s._std_tier WHEN 'city' THEN '城市' WHEN 'town' THEN '城镇' ELSE '农村' END"
OVER_STANDARD = Lookup(
    "monthly_amount",
    "amount_over_standard",
    "s._std IS NOT NULL AND s.monthly_amount IS NOT NULL AND s.covered_persons IS NOT NULL AND "
    "s.monthly_amount::DECIMAL(18,2) > s.covered_persons * s._std",
    "'月保障金额 ' || s.monthly_amount::DECIMAL(18,2) || ' 超过 保障人数 ' || s.covered_persons "
    f"|| ' × ' || {_TIER_ZH} || '标准 ' || s._std || ' / exceeds covered_persons × the ' || "
    "s._std_tier || ' standard in force'",
)

# Great Expectations, a second line behind stage 2: amount <= covered persons × the standard
EXPECTATIONS = (
    ("ExpectColumnPairValuesAToBeGreaterThanB",
     {"column_A": "max_amount", "column_B": "monthly_amount", "or_equal": True,
      "ignore_row_if": "either_value_is_missing"}),
    ("ExpectColumnPairValuesAToBeGreaterThanB",
     {"column_A": "family_size", "column_B": "covered_persons", "or_equal": True}),
)
# the applicable standard of each roster row, from the same raw views as stage 2
EXPECTATION_BATCH = """
        select {cols},
            h.covered_persons * f.monthly_standard as max_amount
        from raw.dibao_households h
        left join raw.village_area_classes v on v.region_code = h.region_code
        left join raw.dibao_tier_rules t on t.program = h.program
            and t.area_class is not distinct from v.area_class
        left join raw.dibao_standard_in_force f on f.tier = t.tier
            and h.month >= f.effective_month and h.month < f.until_month{only}
    """


SOURCE = Source(
    "dibao_households",
    "城乡低保资金发放名册",
    (
        Column("month", "发放月份", Kind.MONTH, key=True),
        Column("household_id", "户编号", Kind.TEXT, key=True),
        Column("region_code", "区划代码", Kind.REGION, level=VILLAGE),
        Column(
            "program",
            "保障类型",
            Kind.CODE,
            codes={"urban": ("城市低保", "城市"), "rural": ("农村低保", "农村")},
        ),
        Column("head_name", "户主姓名", Kind.TEXT, pii=True),
        Column(
            "head_id_number",
            "户主身份证号",
            Kind.ID_NUMBER,
            pii=True,
            aliases=("户主身份证号码",),
        ),
        Column("family_size", "家庭人口", Kind.COUNT, min_count=1, aliases=("家庭人口数",)),
        Column("covered_persons", "保障人数", Kind.COUNT, min_count=1),
        Column("per_capita_income", "家庭月人均收入", Kind.MONEY),
        Column("monthly_amount", "月保障金额", Kind.MONEY, aliases=("保障金额",)),
        Column("bank_account", "银行账号", Kind.TEXT, required=False, pii=True),
        # v2: 低保临时补助 / 价格临时补贴 paid with the month; empty = 0 (staging), not part of
        # monthly_amount and not held against the standard
        Column("temp_subsidy", "临时补助金额", Kind.MONEY, required=False,
               aliases=("临时补助", "价格临时补贴")),
    ),
    monthly=True,
    completeness=True,  # §7 reporting completeness
    depends_on=("regions", "dibao_standards"),
    row_rules=row_rules,
    judged_sql=JUDGED_SQL,
    lookups=(OVER_STANDARD,),
    expectations=EXPECTATIONS,
    expectation_batch=EXPECTATION_BATCH,
    expectation_reads=("regions", "dibao_standards"),
)
