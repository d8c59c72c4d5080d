"""Stage 1, across columns of one row: the cross-field rules of each source.

A rule names the column it is charged to, a condition on parsed values (true = broken), the
reason and the detail. It only fires where that column has no error of its own yet.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Rule:
    column: str
    broken: pl.Expr
    reason: str
    detail: pl.Expr


def _lit(zh: str, en: str) -> pl.Expr:
    return pl.lit(f"{zh} / {en}")


def _s(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String)


def _regions() -> list[Rule]:
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
        Rule("region_code", ~shape_ok, "invalid_code", _lit(
            "区划代码与层级不符（区县PPCCDD000000、乡镇PPCCDDTTT000、村居PPCCDDTTTVVV）",
            "region code does not fit its level") + pl.lit(": ") + code + pl.lit(" / ") + level),
        Rule("parent_code", (level == "district") & parent.is_not_null(), "invalid_code",
             _lit("区县一级不应填写上级代码", "a district has no parent code")),
        Rule("parent_code", level.is_in(["township", "village"]) & parent.is_null(),
             "missing_value", _lit("乡镇和村居须填写上级代码", "parent code required")),
        Rule("parent_code", parent != expected_parent, "invalid_code", _lit(
            "上级代码与区划代码前缀不一致", "parent code does not match the region code's prefix")
             + pl.lit(": ") + parent + pl.lit(" ≠ ") + expected_parent),
    ]
    for name, zh in (("urban_rural_code", "城乡分类代码"), ("resident_population", "常住人口"),
                     ("registered_population", "户籍人口")):
        rules.append(Rule(name, village & pl.col(name).is_null(), "missing_value",
                          _lit(f"村居须填写{zh}", f"{name} is required for a village")))
    return rules


def _le(small: str, big: str, reason: str, zh: str) -> Rule:
    return Rule(small, pl.col(small) > pl.col(big), reason,
                _lit(zh, f"{small} exceeds {big}") + pl.lit(": ") + _s(small) + pl.lit(" > ")
                + _s(big))


def _veterans() -> list[Rule]:
    grade, disabled = pl.col("disability_grade"), pl.col("category") == "disabled"
    return [
        Rule("disability_grade", disabled & (grade.is_null() | (grade < 1) | (grade > 10)),
             "invalid_code", _lit("残疾军人须填残疾等级1–10级", "disabled veterans need a grade "
                                  "1–10") + pl.lit(": ") + _s("disability_grade").fill_null("空")),
        Rule("disability_grade", pl.col("category").is_not_null() & ~disabled
             & grade.is_not_null(), "invalid_code",
             _lit("非残疾军人不应填残疾等级", "only disabled veterans have a grade")),
    ]


def _soldiers() -> list[Rule]:
    return [Rule(
        "one_off_subsidy",
        pl.col("placement").is_not_null() & (pl.col("placement") != "self_employed")
        & (pl.col("one_off_subsidy") != 0),
        "invalid_amount",
        _lit("一次性补助金仅发给自主就业，其他安置方式须为0",
             "one-off subsidy must be 0 unless self_employed") + pl.lit(": ")
        + _s("one_off_subsidy"),
    )]


def _targets(catalogue: dict[str, tuple[str, ...]]) -> list[Rule]:
    pairs = [f"{i}|{b}" for i, bs in catalogue.items() for b in bs]
    pair = pl.col("indicator") + pl.lit("|") + pl.col("breakdown")
    return [Rule(
        "breakdown", pl.col("indicator").is_not_null() & ~pair.is_in(pairs), "invalid_code",
        _lit("口径不是该指标的口径（见指标目录）", "breakdown is not one of the indicator's")
        + pl.lit(": ") + pl.col("breakdown"),
    )]


def cross_rules(source: str, catalogue: dict[str, tuple[str, ...]]) -> list[Rule]:
    if source == "regions":
        return _regions()
    if source == "dibao_households":
        return [_le("covered_persons", "family_size", "invalid_count", "保障人数超过家庭人口")]
    if source == "disaster_reports":
        return [
            _le("relocated_persons", "affected_persons", "invalid_count", "紧急转移安置人口超过受灾人口"),
            _le("crop_failed_ha", "crop_affected_ha", "invalid_amount", "绝收面积超过受灾面积"),
            Rule("reported_at", pl.col("reported_at") < pl.col("started_at"), "invalid_date",
                 _lit("报告时间早于灾害发生时间", "reported_at is before started_at")),
        ]
    if source == "veterans":
        return _veterans()
    if source == "soldiers_received":
        return _soldiers()
    if source == "targets":
        return _targets(catalogue)
    return []
