"""婚姻登记业务明细 (marriage_registrations): the registering office's business records, one row
per business (marriage, divorce, reissue …); a marriage party under the legal age of 民法典
§1047 (man 22, woman 20 on done_on, from the ID number, domestic parties only) is
``invalid_age``. The parties' ID rule holds for domestic parties only (free text otherwise)."""

from __future__ import annotations

import polars as pl

from ingest.contract import DISTRICT, TOWNSHIP, Column, Kind, Source
from ingest.rules import Rule, lit
from ingest.values import age_on

BUSINESSES = {
    "marriage": ("结婚登记",),
    "divorce": ("离婚登记",),
    "divorce_application": ("离婚登记申请",),
    "divorce_withdrawn": ("撤回离婚登记申请",),
    "reissue_marriage": ("补领结婚证",),
    "reissue_divorce": ("补领离婚证",),
    "record_certificate": ("婚姻登记记录证明",),
}
PARTY_TYPES = {
    "domestic": ("内地居民",),
    "foreign": ("涉外",),
    "hmt": ("涉港澳台",),
    "overseas": ("华侨",),
}
PRIORS = {"never_married": ("未婚",), "divorced": ("离婚",), "widowed": ("丧偶",)}
REVIEWS = {"pass": ("合格",), "fail": ("不合格",)}
LEGAL_AGE = {"man": 22, "woman": 20}  # 民法典 §1047


def row_rules(catalogue) -> list[Rule]:
    business, domestic = pl.col("business"), pl.col("party_type") == "domestic"
    rules = []
    for party, zh in (("man", "男方"), ("woman", "女方")):
        col = f"{party}_id_number"
        rules.append(Rule(col, business.is_in(["marriage", "divorce"]) & pl.col(col).is_null(),
                          "missing_value", lit(f"结婚、离婚登记须填写{zh}身份证号",
                                               f"{col} is required for marriage and divorce")))
        age = age_on(pl.col(col), pl.col("done_on"))
        legal = LEGAL_AGE[party]
        rules.append(Rule(col, (business == "marriage") & domestic & (age < legal),
                          "invalid_age",
                          lit(f"{zh}办理日未满{legal}周岁（民法典第1047条）",
                              f"{party} younger than {legal} on done_on")
                          + pl.lit("：") + age.cast(pl.String) + pl.lit("岁")))
    return rules


def _party(name: str, zh: str) -> Column:
    # a required column (the contract does not call it optional) whose cells only marriage
    # and divorce rows need (row_rules): a file without it is missing_column
    return Column(name, zh, Kind.ID_NUMBER, required=False, header=True, pii=True,
                  aliases=(zh + "码",), checked_when=("party_type", ("domestic",)))


SOURCE = Source(
    "marriage_registrations",
    "婚姻登记业务明细",
    (
        Column("record_id", "业务编号", Kind.TEXT, key=True),
        Column("business", "业务类型", Kind.CODE, codes=BUSINESSES),
        Column("done_on", "办理日期", Kind.DATE),
        Column("office_code", "登记机关区划代码", Kind.REGION, level=f"{DISTRICT}|{TOWNSHIP}"),
        Column("party_type", "当事人类别", Kind.CODE, codes=PARTY_TYPES),
        _party("man_id_number", "男方身份证号"),
        _party("woman_id_number", "女方身份证号"),
        Column("man_prior", "男方婚前状况", Kind.CODE, required=False, codes=PRIORS),
        Column("woman_prior", "女方婚前状况", Kind.CODE, required=False, codes=PRIORS),
        Column("review", "审查结论", Kind.CODE, required=False, codes=REVIEWS),
    ),
    agency="民政局婚姻登记处",
    depends_on=("regions",),
    row_rules=row_rules,
)
