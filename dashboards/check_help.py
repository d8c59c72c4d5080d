"""What a failing check means to the clerk who fixes the inbox, and what to do, in plain Chinese.

Page text only: the rules themselves live in orchestration/quality/gate.py (indicators.md §7);
a check this table does not know is shown with its own description from the manifest.
Also: which checks a page groups as 质量闸门, dbt tests, GX suites and row accounting.
"""

from __future__ import annotations

import re

from dashboards.view import Check
from ingest.labels import source_zh

# name -> (what it checks, what a failure means, what to do)
HELP = {
    "files_rejected": (
        "整份文件被拒收",
        "有报送文件缺少必填列、无法打开，或合计行与明细不符，整份没有入库。",
        "按下面列出的文件和原因，请报送单位更正后重新放入收件箱，再运行一次。"),
    "quarantine_share": (
        "隔离行过多",
        "部分行未通过校验而被隔离，不参与统计。某来源隔离行超过本期行数的 1% 且不少于 3 行时阻止发布，"
        "否则只作警告。",
        "打开该来源的隔离清单（见下方“隔离数据”），逐行更正后随下次报送补交。"),
    "reporting_completeness": (
        "乡镇漏报月份",
        "某乡镇（街道）在本期的某个月没有任何入库行，该月的数字会偏低。",
        "联系该乡镇补报所缺月份的名册；确属无数据时，由有权发布的人登记豁免。"),
    "coverage_rate_range": (
        "乡镇低保率异常",
        "某乡镇（街道）的低保率不在 0–30% 之间，多半是人口数或区划代码填错。",
        "核对该乡镇的常住人口和低保名册里的区划代码。"),
    "dibao_persons_swing": (
        "低保人数月度大幅波动",
        "某乡镇（街道）的低保人数比上月增减超过 30%，可能是漏报、重报或批量调整。",
        "向该乡镇核实这两个月的名册是否完整。"),
    "dual_benefits": (
        "重复享受低保和特困",
        "同一人在同一个月既在低保名册又在特困供养名册中。",
        "请乡镇核实这些人员，停发其中一项。"),
    "suspected_ineligible": (
        "疑似错保户",
        "有家庭的人均收入高于本地低保标准，却仍在低保名册中。",
        "请乡镇入户核查家庭收入，必要时按程序退出。"),
    "indicator_rows_complete": (
        "指标行缺失",
        "应当发布的某些区划、指标、口径没有数字（系统内部问题，与报送无关）。",
        "请联系系统维护人员，不要豁免。"),
    "paid_after_death": (
        "死亡后仍在发放",
        "有人在死亡登记之后的月份仍领取低保、特困、高龄津贴、儿童或优抚待遇。",
        "请乡镇核实死亡信息，停发并追回多发资金。"),
    "medical_beneficiary_unmatched": (
        "医疗救助对象身份不符",
        "医疗救助按低保或特困对象结算，但当月名册里查不到此人。",
        "请医保经办核对结算时的对象身份。"),
    "cremated_without_death_record": (
        "火化未注销户籍",
        "本地火化的遗体在死亡登记中查不到，户籍可能尚未注销。",
        "请乡镇与派出所核实并补录死亡信息。"),
    "members_mismatch": (
        "保障人数与成员名单不符",
        "低保家庭登记的保障人数与成员名单的人数不一致。",
        "请乡镇核对家庭成员名单。"),
}

GX, ROWS = "gx_suite", "rows_accounted"
_REGION = re.compile(r"(?<!\d)(\d{12})(?!\d)")
_ASCII_TAIL = re.compile(r"\s+[A-Za-z(].*$")
_WORD = re.compile(r"(?<![/\w])([a-z][a-z_]+)(?![/\w.])")


def is_gate(c: Check) -> bool:
    """A check of the quality gate: the gate's checks carry a description (or are known here);
    dbt tests and the GX and row-accounting checks carry none."""
    return c.name not in (GX, ROWS) and (bool(c.description) or c.name in HELP)


def title(c: Check) -> str:
    if c.name in HELP:
        return HELP[c.name][0]
    zh = _ASCII_TAIL.sub("", c.description).strip()
    return zh or c.name


def meaning(c: Check) -> tuple[str, str]:
    """(what a failure means, what to do); generic words for a dbt test or GX suite."""
    if c.name in HELP:
        return HELP[c.name][1], HELP[c.name][2]
    if is_gate(c):
        return (f"本期未满足：{title(c)}。", "按下列位置逐项核实，更正后重新报送。")
    if c.name == GX:
        return ("该来源或指标表未通过 Great Expectations 校验套件。", "请系统维护人员查看运行日志。")
    if c.name == ROWS:
        return ("入库行数与读取行数对不上（读取 = 入库 + 隔离）。", "请系统维护人员查看运行日志。")
    return ("数据模型的一项 dbt 测试未通过。", "请系统维护人员查看运行日志。")


def where(detail: str, regions: dict[str, str], limit: int = 12) -> list[str]:
    """The detail split into its items ('; '), region codes and source names in words."""
    if detail.strip() in ("", "ok"):
        return []
    items = [x.strip() for x in detail.split(";") if x.strip()]

    def named(m: re.Match) -> str:
        code = m.group(1)
        return f"{regions[code]}（{code}）" if code in regions else code

    out = [_WORD.sub(lambda m: source_zh(m.group(1)), _REGION.sub(named, x))
           for x in items[:limit]]
    if len(items) > limit:
        out.append(f"……等共 {len(items)} 项")
    return out


def group(c: Check) -> tuple[int, str]:
    """(order, label) of the group a non-gate check is folded into: its source or model."""
    if c.asset.startswith("raw/"):
        return 1, f"来源 {source_zh(c.asset.removeprefix('raw/'))}"
    return 2, f"模型 {c.asset or '（未注明）'}"


def kind(c: Check) -> str:
    """质量闸门, dbt 测试, GX 校验套件 or 入库行数核对."""
    if is_gate(c):
        return "质量闸门"
    return {GX: "GX 校验套件", ROWS: "入库行数核对"}.get(c.name, "dbt 测试")
