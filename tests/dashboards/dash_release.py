"""A small, realistic release for 2025H1: a district and 2 townships, written by hand.

Figures are chosen so that tests can state the expected page content directly:
城关街道 (990102001000) is all urban, so it has no rural 低保率 row (denominator 0).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import dashboards
from dashboards.view import Comparison, Manifest, ReleaseView, Row

D, T1, T2 = "990102000000", "990102001000", "990102002000"
NAMES = {D: "示例区", T1: "城关街道", T2: "河西镇"}
META = {  # indicator -> (中文, unit)
    "dibao_households_end": ("期末保障户数", "户"),
    "dibao_persons_end": ("期末保障人数", "人"),
    "dibao_funds": ("累计支出低保金", "万元"),
    "dibao_avg_subsidy": ("月人均补差", "元"),
    "dibao_coverage_rate": ("低保率", "%"),
    "dibao_standard": ("低保标准", "元/人·月"),
    "dibao_new_households": ("新增保障户数", "户"),
    "dibao_exited_households": ("退出保障户数", "户"),
    "dibao_raised_households": ("提标户数", "户"),
    "dibao_lowered_households": ("降标户数", "户"),
    "gap_coverage_pp": ("城乡低保率差距", "百分点"),
    "gap_standard_ratio": ("城乡标准比", "倍"),
    "gap_subsidy_ratio": ("城乡月人均补差比", "倍"),
    "tekun_funds": ("特困供养金", "万元"),
    "temp_assist_funds": ("临时救助金额", "万元"),
    "disaster_events": ("灾害过程数", "次"),
    "disaster_affected_persons": ("受灾人口", "人"),
    "disaster_direct_loss": ("直接经济损失", "万元"),
    "disaster_initial_report_timely_rate": ("初报及时率", "%"),
    "disaster_relief_within_12h_rate": ("12小时救助到位率", "%"),
    "veterans_persons_end": ("优抚对象人数", "人"),
    "veteran_funds": ("优抚金发放", "万元"),
    "target_completion_rate": ("目标完成率", "%"),
    # v2 families (indicators.md §5a–5c)
    "marriage_registrations": ("结婚登记", "对"),
    "deaths": ("死亡人数", "人"),
    "longevity_persons_end": ("享受高龄津贴人数", "人"),
    "medical_assist_cases": ("直接医疗救助人次", "人次"),
    "paid_after_death_persons": ("死亡后仍发放人数", "人"),
}
# value kind by unit, for the indicators above (indicators.md: counts, sums, rates, ratios…)
KIND = {"对": "count", "人次": "count", "户": "count", "人": "count", "次": "count", "万元": "sum",
        "%": "rate", "元": "ratio",
        "倍": "ratio", "百分点": "difference", "元/人·月": "standard"}
DOMAIN = {"dibao": "social_assistance", "gap": "social_assistance",
          "tekun": "social_assistance", "temp": "social_assistance", "disaster": "disasters",
          "veterans": "veterans", "veteran": "veterans", "target": "targets",
          "marriage": "social_affairs", "deaths": "social_affairs", "longevity": "welfare",
          "medical": "medical_assistance", "paid": "findings"}

# (region, indicator, breakdown, value) for the half-year
PERIOD_ROWS = [
    (D, "dibao_persons_end", "total", 12345), (D, "dibao_persons_end", "urban", 4345),
    (D, "dibao_persons_end", "rural", 8000), (D, "dibao_households_end", "total", 6789),
    (D, "dibao_funds", "total", 1234.5), (D, "dibao_funds", "urban", 534.5),
    (D, "dibao_funds", "rural", 700),
    (D, "dibao_coverage_rate", "total", 2.47), (D, "dibao_coverage_rate", "urban", 1.74),
    (D, "dibao_coverage_rate", "rural", 3.2),
    (T1, "dibao_coverage_rate", "total", 1.5), (T1, "dibao_coverage_rate", "urban", 1.5),
    (T2, "dibao_coverage_rate", "total", 3.1), (T2, "dibao_coverage_rate", "urban", 2.25),
    (T2, "dibao_coverage_rate", "rural", 3.4),
    (D, "dibao_avg_subsidy", "urban", 680.25), (D, "dibao_avg_subsidy", "rural", 410.5),
    (D, "dibao_standard", "city", 1000), (D, "dibao_standard", "town", 900),
    (D, "dibao_standard", "rural", 800),
    (D, "gap_coverage_pp", "total", -1.46), (D, "gap_standard_ratio", "total", 1.25),
    (D, "gap_subsidy_ratio", "total", 1.66),
    (D, "dibao_new_households", "total", 120), (D, "dibao_exited_households", "total", 95),
    (D, "dibao_raised_households", "total", 40), (D, "dibao_lowered_households", "total", 12),
    (D, "tekun_funds", "total", 321.09), (D, "temp_assist_funds", "total", 45.6),
    (D, "disaster_events", "total", 2), (D, "disaster_affected_persons", "total", 3500),
    (D, "disaster_direct_loss", "total", 850.75),
    (T1, "disaster_affected_persons", "total", 500), (T1, "disaster_direct_loss", "total", 50.75),
    (T2, "disaster_affected_persons", "total", 3000), (T2, "disaster_direct_loss", "total", 800),
    (D, "disaster_initial_report_timely_rate", "total", 66.67),
    (T1, "disaster_initial_report_timely_rate", "total", 100),
    (T2, "disaster_initial_report_timely_rate", "total", 50),
    (D, "disaster_relief_within_12h_rate", "total", 100),
    (D, "veterans_persons_end", "total", 150), (D, "veterans_persons_end", "disabled", 60),
    (D, "veterans_persons_end", "martyr_family", 90),
    (D, "veteran_funds", "total", 88.8), (D, "veteran_funds", "disability_pension", 66.6),
    (D, "veteran_funds", "survivor_pension", 22.2),
    (D, "target_completion_rate", "dibao_persons_end:total", 62.5),
    (D, "target_completion_rate", "veteran_funds:total", 41.2),
    (D, "marriage_registrations", "total", 420), (D, "deaths", "total", 310),
    (T1, "deaths", "total", 120), (T2, "deaths", "total", 190),
    (D, "longevity_persons_end", "total", 2100), (D, "longevity_persons_end", "90_99", 300),
    (T1, "longevity_persons_end", "total", 800), (T2, "longevity_persons_end", "total", 1300),
    (D, "medical_assist_cases", "total", 530),
    (D, "paid_after_death_persons", "total", 3), (D, "paid_after_death_persons", "dibao", 2),
    (T1, "paid_after_death_persons", "total", 0), (T2, "paid_after_death_persons", "total", 3),
]
# 环比 / 同比 of two rows (comparisons.csv): 12,345 against 12,000 and 13,000
COMPARISONS = {
    (D, "dibao_persons_end", "total"): Comparison(
        "2024H2", Decimal(12000), Decimal("2.88"), "2024H1", Decimal(13000), Decimal("-5.04")),
    (T2, "deaths", "total"): Comparison("2024H2", Decimal(200), Decimal("-5.00"), None, None, None),
}
MONTHS = [f"2025-{m:02d}" for m in range(1, 7)]
# indicator, breakdown -> six monthly district values
MONTHLY = {
    ("dibao_persons_end", "urban"): [4300, 4310, 4320, 4330, 4340, 4345],
    ("dibao_persons_end", "rural"): [7900, 7950, 7960, 7970, 7990, 8000],
    ("dibao_funds", "urban"): [89, 89.1, 89.1, 89.1, 89.1, 89.1],
    ("dibao_funds", "rural"): [116, 116.5, 116.7, 116.8, 117, 117],
    ("dibao_new_households", "total"): [0, 30, 25, 20, 25, 20],
    ("dibao_exited_households", "total"): [0, 10, 20, 25, 20, 20],
    ("dibao_raised_households", "total"): [0, 10, 10, 10, 5, 5],
    ("dibao_lowered_households", "total"): [0, 2, 2, 3, 3, 2],
    ("disaster_events", "total"): [0, 0, 0, 1, 0, 1],
    ("disaster_affected_persons", "total"): [0, 0, 0, 500, 0, 3000],
}
RUN_ID = "run-20250705-0930-abc123"
REJECTED_SHA = "b" * 64


def _row(period, region, indicator, breakdown, value) -> Row:
    zh, unit = META[indicator]
    kind = KIND[unit]
    value = Decimal(str(value))
    fraction = kind in ("rate", "ratio")  # the pages never read numerators: any non-zero pair
    return Row(period, region, NAMES[region], "district" if region == D else "township",
               indicator, zh, DOMAIN[indicator.split("_")[0]], breakdown,
               value.quantize(Decimal(1) if kind == "count" else Decimal("0.01")), unit, kind,
               value if fraction else None, Decimal(100) if fraction else None)


def manifest(run_id: str = RUN_ID, created_at: str = "2025-07-05T09:30:00+08:00",
             **replace) -> dict:
    """manifest.json of the release; keyword arguments replace top-level keys."""
    return {
        "period": "2025H1",
        "run_id": run_id,
        "created_at": created_at,
        "published_by": "王科长",
        "inputs": [
            {"path": "dibao_households/2025-06.xlsx", "source": "dibao_households",
             "sha256": "a" * 64, "status": "loaded", "reason": None, "rows_read": 1210,
             "rows_loaded": 1200, "rows_quarantined": 10},
            {"path": "tekun_persons/河西镇.csv", "source": "tekun_persons", "sha256": REJECTED_SHA,
             "status": "rejected", "reason": "total_mismatch", "rows_read": 40,
             "rows_loaded": 0, "rows_quarantined": 40},
        ],
        "quarantine_reasons": {
            "dibao_households": {"invalid_id_number": 7, "duplicate_row": 3},
            "tekun_persons": {"total_mismatch": 40},
        },
        # the tekun rows are of a month after the period (a rejected December file)
        "quarantine_reasons_period": {"dibao_households": {"invalid_id_number": 7,
                                                            "duplicate_row": 3}},
        "checks": [
            {"name": "files_rejected", "severity": "error", "passed": False, "waived": True,
             "description": "有文件被拒收", "detail": "1 个文件被拒收"},
            {"name": "quarantine_share", "severity": "warning", "passed": False, "waived": False,
             "description": "隔离行占比", "detail": "dibao_households 0.83%"},
            {"name": "coverage_rate_range", "severity": "error", "passed": True, "waived": False,
             "description": "乡镇低保率在 0–30% 之间", "detail": ""},
        ],
        "waivers": [{"check": "files_rejected", "period": "2025H1",
                     "reason": "河西镇特困名册合计行有误，已通知重报", "by": "王科长",
                     "at": "2025-07-05T09:00:00+08:00"}],
        "source_agencies": {"dibao_households": "民政局", "tekun_persons": "民政局"},
        "completeness": {
            "dibao_households": {T1: {m: 300 for m in MONTHS}, T2: {m: 900 for m in MONTHS}},
            "tekun_persons": {T1: {m: 20 for m in MONTHS},
                              T2: {m: 40 for m in MONTHS if m != "2025-04"}},
        },
    } | replace


def view(*, monthly: bool = True, v2: bool = True, **manifest_kw) -> ReleaseView:
    """The release as the pages get it (monthly rows unless monthly=False; the v2 families'
    rows and the comparisons unless v2=False)."""
    months = [_row(m, D, ind, b, vals[i]) for (ind, b), vals in MONTHLY.items()
              for i, m in enumerate(MONTHS)]
    months += [_row(m, T1, "dibao_persons_end", "urban", 1000 + i) for i, m in enumerate(MONTHS)]
    rows = [_row("2025H1", *r) for r in PERIOD_ROWS
            if v2 or DOMAIN[r[1].split("_")[0]] in ("social_assistance", "disasters", "veterans",
                                                     "targets")]
    return ReleaseView(Manifest.model_validate(manifest(**manifest_kw)), rows,
                       months if monthly else None, COMPARISONS if v2 else None)


def write_release(root: Path, *, monthly: bool = True, **manifest_kw) -> Path:
    """A release folder for the index and browser tests: manifest.json, a stand-in
    indicators.csv and the pages of `view()`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.json").write_text(
        json.dumps(manifest(**manifest_kw), ensure_ascii=False, indent=2), encoding="utf-8")
    (root / "indicators.csv").write_text("period\n", encoding="utf-8")
    rows = [{"region_code": r.region_code, "region_name": r.region_name,
             "region_level": r.region_level} for r in view().rows]
    (root / "indicators.json").write_text(json.dumps({"rows": rows}, ensure_ascii=False),
                                          encoding="utf-8")  # the region fields the index reads
    for rel, text in dashboards.render(view(monthly=monthly, **manifest_kw)).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root
