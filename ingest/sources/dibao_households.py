"""城乡低保资金发放名册 (dibao_households): the monthly 低保 roster, one row per household,
with the amount checked against covered persons × the standard of its tier in force."""

from __future__ import annotations

from ingest.contract import VILLAGE, Column, Kind, Lookup, Source
from ingest.rules import Rule, at_most


def row_rules(catalogue) -> list[Rule]:
    return [at_most("covered_persons", "family_size", "invalid_count", "保障人数超过家庭人口")]


# each row with its tier (program × the village's area class, data contract) and the standard
# of that tier in force in its month (latest effective_month <= month)
JUDGED_SQL = """
CREATE OR REPLACE TEMP VIEW _ing_s AS
WITH tiered AS (
  SELECT s.*, CASE
      WHEN s.program = 'rural' THEN 'rural'
      WHEN s.program = 'urban' AND rr.urc LIKE '11%' THEN 'city'
      WHEN s.program = 'urban' AND rr.urc LIKE '12%' THEN 'town'
      WHEN s.program = 'urban' AND rr.urc LIKE '2%' THEN 'rural'
    END AS _std_tier
  FROM _ing_p s
  LEFT JOIN (SELECT region_code AS rc, any_value(urban_rural_code) AS urc FROM raw.regions
             WHERE level = 'village' GROUP BY 1) rr ON s.region_code = rr.rc
)
SELECT t.*, st.monthly_standard AS _std
FROM tiered t ASOF LEFT JOIN raw.dibao_standards st
  ON t._std_tier = st.tier AND t.month >= st.effective_month
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
# the applicable standard of each roster row (contract: program × village area class).
# Both joins build on small tables (villages; months × tiers), so the roster streams.
EXPECTATION_BATCH = """
        with months as (select distinct month from raw.dibao_households),
        in_force as (
            select m.month, st.tier,
                arg_max(st.monthly_standard, st.effective_month) as monthly_standard
            from months m join raw.dibao_standards st on st.effective_month <= m.month
            group by m.month, st.tier
        ),
        villages as (
            select region_code, any_value(urban_rural_code) as urban_rural_code
            from raw.regions group by region_code
        )
        select {cols},
            h.covered_persons * s.monthly_standard as max_amount
        from raw.dibao_households h
        left join villages v on v.region_code = h.region_code
        left join in_force s on s.month = h.month and s.tier = case
                when h.program = 'urban' and v.urban_rural_code like '11%' then 'city'
                when h.program = 'urban' and v.urban_rural_code like '12%' then 'town'
                else 'rural' end{only}
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
    ),
    monthly=True,
    depends_on=("regions", "dibao_standards"),
    row_rules=row_rules,
    judged_sql=JUDGED_SQL,
    lookups=(OVER_STANDARD,),
    expectations=EXPECTATIONS,
    expectation_batch=EXPECTATION_BATCH,
    expectation_reads=("regions", "dibao_standards"),
)
