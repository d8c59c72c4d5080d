"""孤儿和事实无人抚养儿童基本生活费发放名册 (child_welfare_payments): the monthly roster of basic
living costs paid for orphans and de-facto unsupported children, one row per child and month.

child_id is the child's ID number when has_id is 是 (ID rule, else ``invalid_id_number``),
otherwise the institution's case number; both are PII, kept downstream only as a keyed hash.
A child with an ID aged 18 or older on the month's last day and not in school →
``over_age`` (charged to child_id, whence the age); an amount above the standard in force for
its category and care type → ``amount_over_standard`` (data contract v2)."""

from __future__ import annotations

from datetime import date

import polars as pl

from ingest import idnumber
from ingest.ages import age_sql, birth_sql
from ingest.contract import VILLAGE, Column, Kind, Lookup, Source
from ingest.rules import Rule, lit
from ingest.sources.child_welfare_standards import CHILD_CARE_TYPES, CHILD_CATEGORIES


def row_rules(catalogue) -> list[Rule]:
    valid = pl.col("child_id").map_elements(
        lambda x: idnumber.parse(x, date.today()) is not None, return_dtype=pl.Boolean)
    return [Rule("child_id", pl.col("has_id") & ~valid, "invalid_id_number",
                 lit("有身份信息的儿童，儿童编号须为有效身份证号",
                     "with has_id 是, child_id must be a valid ID number"))]


JUDGED_SQL = f"""
CREATE OR REPLACE TEMP VIEW _ing_s AS
SELECT s.*,
    CASE WHEN s.has_id THEN {age_sql(birth_sql("upper(s.child_id)"), "last_day(s.month)")}
    END AS _age,
    (SELECT arg_max(c.monthly_standard, c.effective_month)
     FROM raw.child_welfare_standards c WHERE c.category = s.category
     AND c.care_type = s.care_type AND c.effective_month <= s.month) AS _std
FROM _ing_p s
"""

OVER_AGE = Lookup(
    "child_id",
    "over_age",
    "s._age >= 18 AND NOT coalesce(s.in_school, false)",
    "'发放月末已满 ' || s._age || ' 周岁且不在校 / aged ' || s._age || "
    "' on the month''s last day and not in school'",
)
OVER_STANDARD = Lookup(
    "amount",
    "amount_over_standard",
    "s._std IS NOT NULL AND s.amount IS NOT NULL AND s.amount::DECIMAL(18,2) > s._std",
    "'月发放金额 ' || s.amount::DECIMAL(18,2) || ' 超过该类别、养育方式的现行标准 ' || s._std "
    "|| ' / exceeds the standard in force for its category and care type'",
)


SOURCE = Source(
    "child_welfare_payments",
    "孤儿和事实无人抚养儿童基本生活费发放名册",
    (
        Column("month", "发放月份", Kind.MONTH, key=True),
        Column("child_id", "儿童编号", Kind.TEXT, key=True, pii=True, keyed_hash=True),
        Column("has_id", "有无身份信息", Kind.BOOL),
        Column("name", "姓名", Kind.TEXT, pii=True),
        Column("region_code", "区划代码", Kind.REGION, level=VILLAGE),
        Column("category", "儿童类别", Kind.CODE, codes=CHILD_CATEGORIES),
        Column("care_type", "养育方式", Kind.CODE, codes=CHILD_CARE_TYPES),
        Column("in_school", "在校就读", Kind.BOOL, required=False),
        Column("amount", "月发放金额", Kind.MONEY, aliases=("发放金额",)),
    ),
    monthly=True,
    depends_on=("regions", "child_welfare_standards"),
    defaults={"in_school": False},
    row_rules=row_rules,
    judged_sql=JUDGED_SQL,
    lookups=(OVER_AGE, OVER_STANDARD),
)
