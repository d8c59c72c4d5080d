"""Every Chinese word the platform prints for a code: the one home of the labels.

Reasons (data-contract §2 and each source's rules), breakdowns (indicators.md), domains,
check severities and outcomes, file statuses. Ingest reports, the quarantine CSVs, the
release files, summary.md and the dashboards all read these tables; none keeps a copy.
"""

from __future__ import annotations

import re

from ingest.contract import BENEFITS, PLACEMENTS, SOURCES, VETERAN_CATEGORIES
from ingest.sources.child_welfare_standards import CHILD_CARE_TYPES, CHILD_CATEGORIES
from ingest.sources.disaster_relief import RELIEF_TYPES
from ingest.sources.elderly_subsidy_standards import ELDERLY_SUBSIDIES
from ingest.sources.medical_assistance import ASSISTANCE_TYPES, BENEFICIARIES

# Reason code → what a clerk reads beside the quarantined row or the rejected file.
REASONS = {
    "invalid_id_number": "身份证号无效",
    "unknown_region": "区划代码不存在",
    "invalid_amount": "金额/数量无效",  # money and quantity kinds share the code (contract §2)
    "invalid_count": "人数/户数无效",
    "missing_value": "必填项为空",
    "invalid_date": "日期/月份无效",
    "invalid_code": "代码不在代码表中",
    "invalid_phone": "联系电话无效",
    "amount_over_standard": "保障金额超过标准",
    "unknown_household": "户编号不在低保名册中",
    "unknown_event": "灾害编号无对应灾情报告",
    "unknown_person": "身份证号不在优抚对象名册中",
    "duplicate_row": "重复行",
    "conflicting_duplicate": "关键字段相同但内容冲突",
    "unreadable_file": "文件无法读取",
    "missing_column": "缺少必填列",
    "total_mismatch": "合计行与明细不符",
    "hidden_row": "隐藏行，未计入（如应计入，请取消隐藏后重新报送）",
    "invalid_credit_code": "统一社会信用代码无效",
    "invalid_age": "结婚当事人未达法定婚龄",
    "unknown_org": "统一社会信用代码不在社会组织登记台账中",
    "malformed_row": "该行无法拆分为各列（引号不成对或逗号多少），未计入；请检查该行后重新报送",
    "age_below_band": "年龄低于该补贴各年龄段",
    "over_age": "已满18周岁且不在校",
}

# v2 §5b/§5c breakdowns: the code lists of the welfare and medical sources, and the programs
# of paid_after_death_* (ingest/sources/*: one home for each code list)
WELFARE_BREAKDOWNS = {
    **{slug: names[0] for table in (ELDERLY_SUBSIDIES, CHILD_CATEGORIES, CHILD_CARE_TYPES,
                                    BENEFICIARIES, ASSISTANCE_TYPES)
       for slug, names in table.items()},
    "no_id": "无身份信息", "elderly": "老年补贴", "child": "儿童福利", "veteran": "优抚金",
    "dibao": "低保", "tekun": "特困",
}

# Breakdown slug → its name; `town` is the 城镇 tier of the standard (data-contract, dibao_standards).
BREAKDOWNS = {
    "total": "合计", "urban": "城市", "rural": "农村", "city": "城市", "town": "城镇",
    "centralized": "集中供养", "dispersed": "分散供养",
    **{slug: names[0] for table in (VETERAN_CATEGORIES, BENEFITS, PLACEMENTS)
       for slug, names in table.items()},
    # §5a social affairs (v2)
    "domestic": "内地居民", "cross_border": "涉外、涉港澳台及华侨", "marriage_cert": "补领结婚证",
    "divorce_cert": "补领离婚证", "20_24": "20-24岁", "25_29": "25-29岁", "30_34": "30-34岁",
    "35_39": "35-39岁", "40_plus": "40岁及以上", "cremation_zone": "火葬区", "local": "本区户籍",
    "non_local": "外地及无名", "illegal_burial": "违规土葬", "scattered_burial": "乱埋乱葬",
    "illegal_hall": "违规搭建灵堂", "other": "其他", "association": "社会团体",
    "private_non_enterprise": "民办非企业单位", "foundation": "基金会", "pass": "合格",
    "basic_pass": "基本合格", "fail": "不合格", "reported": "已报告", "in_station": "站内救助",
    "outreach": "街面救助", "ticket_home": "购票返乡", "escorted_home": "护送返乡",
    "minor": "未成年人", "elderly": "老年人", "mental": "精神障碍患者",  # "disabled": v1 残疾军人
    "village_committee": "村民委员会", "residents_committee": "居民委员会", "female": "女性",
    **WELFARE_BREAKDOWNS,
}
# v2 (issue 12): 低保对象 by group, alone and by program; relief types; soldiers' rank
_MEMBER_GROUPS = {"elderly": "老年人", "adult": "18-59岁", "minor": "未成年人",
                  "female": "女性", "disabled": "残疾人", "severely_disabled": "重度残疾人"}
_BY_PROGRAM = {f"{p}_{g}": f"{p_zh}{g_zh}" for p, p_zh in (("urban", "城市"), ("rural", "农村"))
               for g, g_zh in _MEMBER_GROUPS.items()}
BREAKDOWNS.update({
    **{k: v for k, v in _MEMBER_GROUPS.items() if k != "disabled"},  # disabled: see below
    **_BY_PROGRAM,
    **{slug: names[0] for slug, names in RELIEF_TYPES.items()},
    "conscript": "义务兵", "nco": "士官",
})
# A slug that means another thing for another indicator: `disabled` is 残疾军人 among the
# veterans' categories (the table above) and 残疾人 among 低保对象 and 流浪乞讨 groups.
BREAKDOWNS_BY_INDICATOR = {
    "dibao_members_end": {**_MEMBER_GROUPS, **_BY_PROGRAM},
    "vagrant_special_groups": {"disabled": "残疾人"},
}

DOMAINS = {
    "social_assistance": "社会救助",
    "disasters": "自然灾害",
    "veterans": "优抚安置",
    "targets": "目标任务",
    # v2 families (indicators.md §5a–5c); slugs fixed for every part of the platform
    "social_affairs": "社会事务",
    "welfare": "社会福利",
    "medical_assistance": "医疗救助",
    "findings": "数据比对发现",
}

SEVERITIES = {"error": "错误", "warning": "警告"}

# region_level → the level a release reports for (a city release rolls districts up, §9)
LEVELS = {"city": "市级", "district": "区级", "township": "乡镇（街道）级"}

# The outcome of one check in a release, in the order pages list them.
PASSED, WAIVED, WARNED, FAILED = "通过", "已豁免", "警告", "未通过"
OUTCOMES = (PASSED, WAIVED, WARNED, FAILED)

FILE_STATUSES = {"loaded": "已入库", "rejected": "拒收"}


def check_outcome(passed: bool, waived: bool, severity: str) -> str:
    """通过 / 已豁免 / 警告 / 未通过 of one check (a failed warning is 警告 even when waived
    is false; a failed error is 已豁免 only when waived)."""
    if passed:
        return PASSED
    if waived:
        return WAIVED
    return WARNED if severity == "warning" else FAILED


def reason_zh(code: str) -> str:
    """'身份证号无效（invalid_id_number）'; an unknown code is returned as it is."""
    zh = REASONS.get(code)
    return f"{zh}（{code}）" if zh else code


_AGE_BAND = re.compile(r"(\d{1,3})_(\d{1,3}|plus)")


def breakdown_zh(slug: str, indicator: str | None = None) -> str:
    """The Chinese name of a breakdown slug (of `indicator` where a slug means another thing
    for it: BREAKDOWNS_BY_INDICATOR); an age band (`80_89`, `100_plus`: 高龄津贴's bands in
    force, 优待证's `60_64`) as 80–89岁 or 100岁及以上; an unknown slug is returned as it is."""
    own = BREAKDOWNS_BY_INDICATOR.get(indicator or "", {})
    named = own.get(slug) or BREAKDOWNS.get(slug)
    if named:
        return named
    band = _AGE_BAND.fullmatch(slug)
    if band:
        low, high = band.groups()
        return f"{low}岁及以上" if high == "plus" else f"{low}–{high}岁"
    return slug


def source_zh(name: str) -> str:
    """'低保家庭（dibao_households）'; an unknown source is returned as it is."""
    src = SOURCES.get(name)
    return f"{src.zh}（{name}）" if src else name
