"""医疗救助结算明细 (medical_assistance): direct medical assistance settlements, from the
medical security bureau (医疗保障局). The amount may not exceed the total cost when that is
given (else ``invalid_amount``, data contract v2)."""

from __future__ import annotations

from ingest.contract import VILLAGE, Column, Kind, Source
from ingest.rules import Rule, at_most

# 救助对象类别 (medical_assistance, insurance_subsidies)
BENEFICIARIES = {
    "tekun": ("特困人员",),
    "dibao": ("低保对象",),
    "marginal": ("低保边缘家庭成员",),
    "monitored": ("防止返贫监测对象",),
    "illness_poor": ("因病致贫重病患者",),
    "other": ("其他",),
}
ASSISTANCE_TYPES = {"inpatient": ("住院救助",), "outpatient": ("门诊救助",)}


def row_rules(catalogue) -> list[Rule]:
    return [at_most("amount", "total_cost", "invalid_amount", "医疗救助金额超过医疗总费用")]


# Great Expectations, a second line behind stage 1: amount <= total_cost where it is given
EXPECTATIONS = (
    ("ExpectColumnPairValuesAToBeGreaterThanB",
     {"column_A": "total_cost", "column_B": "amount", "or_equal": True,
      "ignore_row_if": "either_value_is_missing"}),
)


SOURCE = Source(
    "medical_assistance",
    "医疗救助结算明细",
    (
        Column("settlement_id", "结算编号", Kind.TEXT, key=True),
        Column("id_number", "身份证号", Kind.ID_NUMBER, pii=True, aliases=("身份证号码",)),
        Column("region_code", "区划代码", Kind.REGION, level=VILLAGE),
        Column("beneficiary", "救助对象类别", Kind.CODE, codes=BENEFICIARIES),
        Column("assistance_type", "救助类型", Kind.CODE, codes=ASSISTANCE_TYPES),
        Column("settled_on", "结算日期", Kind.DATE),
        Column("total_cost", "医疗总费用", Kind.MONEY, required=False),
        Column("amount", "医疗救助金额", Kind.MONEY, aliases=("救助金额",)),
    ),
    agency="医疗保障局",
    depends_on=("regions",),
    row_rules=row_rules,
    expectations=EXPECTATIONS,
)
