"""Chinese labels, number formats and the privacy scrub shared by every page."""

from __future__ import annotations

import html
import re

from ingest.contract import BENEFITS, PLACEMENTS, SOURCES, VETERAN_CATEGORIES
from ingest.periods import PeriodError, parse_period

BREAKDOWN_ZH = {
    "total": "合计",
    "urban": "城市",
    "rural": "农村",
    "city": "城市",
    "town": "镇",
    "centralized": "集中供养",
    "dispersed": "分散供养",
    **{slug: names[0] for slug, names in VETERAN_CATEGORIES.items()},
    **{slug: names[0] for slug, names in BENEFITS.items()},
    **{slug: names[0] for slug, names in PLACEMENTS.items()},
}

REASON_ZH = {
    "invalid_id_number": "身份证号无效",
    "unknown_region": "区划代码不存在",
    "invalid_amount": "金额无效",
    "invalid_count": "数量无效",
    "missing_value": "必填项为空",
    "invalid_date": "日期无效",
    "invalid_code": "代码不在列表中",
    "invalid_phone": "电话号码无效",
    "amount_over_standard": "金额超过标准",
    "unknown_household": "家庭不存在",
    "unknown_event": "灾害过程不存在",
    "unknown_person": "人员不存在",
    "duplicate_row": "重复行",
    "conflicting_duplicate": "冲突的重复行",
    "unreadable_file": "文件无法读取",
    "missing_column": "缺少必填列",
    "total_mismatch": "合计行不符",
}

SEVERITY_ZH = {"error": "错误", "warning": "警告"}


def source_zh(name: str) -> str:
    src = SOURCES.get(name)
    return f"{src.zh}（{name}）" if src else name


def reason_zh(code: str) -> str:
    zh = REASON_ZH.get(code)
    return f"{zh}（{code}）" if zh else code


def breakdown_zh(code: str) -> str:
    return BREAKDOWN_ZH.get(code, code)


def period_months(period: str) -> list[str]:
    """The months `YYYY-MM` of a period (month, half-year, year)."""
    try:
        return parse_period(period.strip().upper()).month_codes()
    except PeriodError as e:
        raise ValueError(
            f"unknown period {period!r} (expected YYYY-MM, YYYYH1/H2 or YYYY)") from e


def period_zh(period: str) -> str:
    p = period.strip().upper()
    if re.fullmatch(r"\d{4}-\d{2}", p):
        return f"{p[:4]}年{int(p[5:])}月"
    m = re.fullmatch(r"(\d{4})[HS]([12])", p)
    if m:
        return f"{m.group(1)}年{'上' if m.group(2) == '1' else '下'}半年"
    if re.fullmatch(r"\d{4}", p):
        return f"{p}年"
    return period


def elapsed_share(period: str) -> float:
    """Share of the year elapsed at the period's last month, in % (H1 → 50, year → 100)."""
    return int(period_months(period)[-1][5:]) / 12 * 100


def month_zh(month: str, *, with_year: bool = False) -> str:
    return f"{month[:4]}年{int(month[5:])}月" if with_year else f"{int(month[5:])}月"


def fmt_count(v: float | None) -> str:
    return "—" if v is None else f"{v:,.0f}"


def fmt_2(v: float | None) -> str:
    return "—" if v is None else f"{v:,.2f}"


def fmt_value(v: float | None, unit: str) -> str:
    """A value with its unit: counts as whole numbers, everything else with 2 decimals."""
    if v is None:
        return "—"
    if unit in ("户", "人", "户次", "人次", "次", "间"):
        return f"{fmt_count(v)} {unit}"
    sep = "" if unit == "%" else " "
    return f"{fmt_2(v)}{sep}{unit}"


# Privacy safety net for free text taken from the manifest (check details, waiver reasons,
# file paths). The pipeline promises none of these carry personal data; should one slip
# through, the page shows a mask instead.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)1\d{10}(?!\d)")
_ACCOUNT_RE = re.compile(r"(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])")
MASK = "［已隐去］"


def scrub(text: object) -> str:
    s = "" if text is None else str(text)
    for rx in (_ID_RE, _ACCOUNT_RE, _PHONE_RE):
        s = rx.sub(MASK, s)
    return s


def esc(text: object) -> str:
    """Scrubbed and HTML-escaped text."""
    return html.escape(scrub(text))
