"""老年人补贴发放名册 (elderly_subsidies): the monthly roster of elderly subsidies (高龄津贴,
护理补贴, 养老服务补贴, 综合补贴), one row per person, subsidy and month.

The person's age is taken on the month's last day; the bands in force are those of the
subsidy's latest effective month ≤ the row's month (elderly_subsidy_standards). Age below
every band in force → ``age_below_band`` (charged to the ID number, whence the age); amount
above the standard of the band holding the age → ``amount_over_standard``. A subsidy with no
standard in force is not checked, nor an age that falls between two bands (data contract v2).
"""

from __future__ import annotations

from ingest.ages import age_sql, band_bounds_sql, birth_sql
from ingest.contract import VILLAGE, Column, Kind, Lookup, Source
from ingest.sources.elderly_subsidy_standards import ELDERLY_SUBSIDIES

_LO, _HI = band_bounds_sql("b.age_band")
# each row with its age on the month's last day, the lowest band of its subsidy in force,
# and the band holding its age with that band's standard
JUDGED_SQL = f"""
CREATE OR REPLACE TEMP VIEW _ing_s AS
WITH bands AS (
    SELECT b.subsidy, b.effective_month, b.age_band, b.monthly_standard,
        {_LO} AS lo, {_HI} AS hi
    FROM raw.elderly_subsidy_standards b
), aged AS (
    SELECT s.*, {age_sql(birth_sql("s.id_number"), "last_day(s.month)")} AS _age,
        (SELECT max(b.effective_month) FROM bands b WHERE b.subsidy = s.subsidy
         AND b.effective_month <= s.month) AS _eff
    FROM _ing_p s
)
SELECT a.*,
    (SELECT min(b.lo) FROM bands b WHERE b.subsidy = a.subsidy
     AND b.effective_month = a._eff) AS _lowest,
    (SELECT min(b.age_band) FROM bands b WHERE b.subsidy = a.subsidy
     AND b.effective_month = a._eff AND a._age BETWEEN b.lo AND b.hi) AS _band,
    (SELECT min(b.monthly_standard) FROM bands b WHERE b.subsidy = a.subsidy
     AND b.effective_month = a._eff AND a._age BETWEEN b.lo AND b.hi) AS _std
FROM aged a
"""

BELOW_BAND = Lookup(
    "id_number",
    "age_below_band",
    "s._lowest IS NOT NULL AND s._age IS NOT NULL AND s._age < s._lowest",
    "'发放月末年龄 ' || s._age || ' 周岁，低于该补贴现行最低年龄段（' || s._lowest || "
    "' 周岁起） / aged ' || s._age || ' on the month''s last day, below every band of the "
    "subsidy in force'",
)
OVER_STANDARD = Lookup(
    "amount",
    "amount_over_standard",
    "s._std IS NOT NULL AND s.amount IS NOT NULL AND s.amount::DECIMAL(18,2) > s._std",
    "'月发放金额 ' || s.amount::DECIMAL(18,2) || ' 超过 ' || s._band || ' 年龄段标准 ' || "
    "s._std || ' / exceeds the standard of band ' || s._band",
)


SOURCE = Source(
    "elderly_subsidies",
    "老年人补贴发放名册",
    (
        Column("month", "发放月份", Kind.MONTH, key=True),
        Column("name", "姓名", Kind.TEXT, pii=True),
        Column(
            "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
        ),
        Column("region_code", "区划代码", Kind.REGION, level=VILLAGE),
        Column("subsidy", "补贴类型", Kind.CODE, key=True, codes=ELDERLY_SUBSIDIES),
        Column("amount", "月发放金额", Kind.MONEY, aliases=("发放金额",)),
        Column("bank_account", "银行账号", Kind.TEXT, required=False, pii=True),
    ),
    monthly=True,
    completeness=True,  # §7 reporting completeness (not child welfare: empty cells are normal)
    depends_on=("regions", "elderly_subsidy_standards"),
    judged_sql=JUDGED_SQL,
    lookups=(BELOW_BAND, OVER_STANDARD),
)
