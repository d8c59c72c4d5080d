"""Two tiny district releases of one city, worked by hand (tests/rollup).

                       玄武区 A                    秦淮区 B                 city (by hand)
dibao_persons_end      total 300 urban 200 rural 100 | 50 / 10 / 40        350 / 210 / 140
dibao_coverage_rate    300/10000=3.00 200/4000=5.00  | 50/500=10.00         350/10500=3.33 (mean 6.50)
                       100/6000=1.67                 | 10/100=10.00 40/400   210/4100=5.12 (mean 7.50)
                                                     |   =10.00              140/6400=2.19 (mean 5.83)
gap_coverage_pp        3.33                          | 0.00                 5.1219…−2.1875=2.93
dibao_avg_subsidy      urban 100000/200=500.00       | 6000/10=600.00       106000/210=504.76
                       rural 30000/100=300.00        | 12000/40=300.00      42000/140=300.00
gap_subsidy_ratio      500/300=1.67                  | 600/300=2.00         504.7619…/300=1.68 (mean 1.83)
dibao_funds urban      12.34                         | 0.66                 13.00
dibao_standard city    780.00                        | 700.00               — (no city row)
gap_standard_ratio     1.26                          | —                    — (no city row)
target_completion_rate 50.00 (dibao_persons_end:total) | —                  — (no city row)
A also has a township row (dropped: the city release has city and district rows only).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from orchestration.release import write_release
from orchestration.release.comparisons import FRAME_COLUMNS

P = "2025H1"
CITY, A, B = "320100000000", "320102000000", "320104000000"
TOWN = "320102001000"
NAMES = {CITY: "南京市", A: "玄武区", B: "秦淮区", TOWN: "梅园街道"}
INFO = {  # indicator: (name, domain, unit, kind)
    "dibao_persons_end": ("期末保障人数", "social_assistance", "人", "count"),
    "dibao_coverage_rate": ("低保率", "social_assistance", "%", "rate"),
    "gap_coverage_pp": ("城乡低保率差距", "social_assistance", "百分点", "difference"),
    "dibao_avg_subsidy": ("月人均补差", "social_assistance", "元", "ratio"),
    "gap_subsidy_ratio": ("城乡月人均补差比", "social_assistance", "倍", "ratio"),
    "dibao_funds": ("累计支出低保金", "social_assistance", "万元", "sum"),
    "dibao_standard": ("低保标准", "social_assistance", "元/人·月", "standard"),
    "gap_standard_ratio": ("城乡标准比", "social_assistance", "倍", "ratio"),
    "target_completion_rate": ("目标完成率", "targets", "%", "rate"),
}
# region: [(indicator, breakdown, value, numerator, denominator)]
ROWS = {
    A: [
        ("dibao_persons_end", "total", 300, None, None),
        ("dibao_persons_end", "urban", 200, None, None),
        ("dibao_persons_end", "rural", 100, None, None),
        ("dibao_coverage_rate", "total", "3.00", 300, 10000),
        ("dibao_coverage_rate", "urban", "5.00", 200, 4000),
        ("dibao_coverage_rate", "rural", "1.67", 100, 6000),
        ("gap_coverage_pp", "total", "3.33", None, None),
        ("dibao_avg_subsidy", "urban", "500.00", 100000, 200),
        ("dibao_avg_subsidy", "rural", "300.00", 30000, 100),
        ("gap_subsidy_ratio", "total", "1.67", 500, 300),
        ("dibao_funds", "urban", "12.34", None, None),
        ("dibao_standard", "city", "780.00", None, None),
        ("gap_standard_ratio", "total", "1.26", 780, 620),
        ("target_completion_rate", "dibao_persons_end:total", "50.00", 300, 600),
    ],
    B: [
        ("dibao_persons_end", "total", 50, None, None),
        ("dibao_persons_end", "urban", 10, None, None),
        ("dibao_persons_end", "rural", 40, None, None),
        ("dibao_coverage_rate", "total", "10.00", 50, 500),
        ("dibao_coverage_rate", "urban", "10.00", 10, 100),
        ("dibao_coverage_rate", "rural", "10.00", 40, 400),
        ("gap_coverage_pp", "total", "0.00", None, None),
        ("dibao_avg_subsidy", "urban", "600.00", 6000, 10),
        ("dibao_avg_subsidy", "rural", "300.00", 12000, 40),
        ("gap_subsidy_ratio", "total", "2.00", 600, 300),
        ("dibao_funds", "urban", "0.66", None, None),
        ("dibao_standard", "city", "700.00", None, None),
    ],
    TOWN: [("dibao_persons_end", "total", 300, None, None)],
}


def records(region: str, level: str, rows, period: str = P) -> list[dict]:
    out = []
    for ind, bd, value, num, den in rows:
        name, domain, unit, kind = INFO[ind]
        out.append({"period": period, "region_code": region, "region_name": NAMES[region],
                    "region_level": level, "indicator": ind, "indicator_name": name,
                    "domain": domain, "breakdown": bd, "value": value, "unit": unit,
                    "value_kind": kind, "numerator": num, "denominator": den})
    return out


def manifest(run_id: str, period: str = P, checks: list | None = None) -> dict:
    return {"period": period, "run_id": run_id, "created_at": "2025-07-08T09:00:00+08:00",
            "published_by": f"{run_id} 数据科", "checks": checks or []}


def district_release(root: Path, region: str, run_id: str, earlier: dict | None = None,
                     **kw) -> Path:
    """A district's published/<P> folder written by the project's own writer; with
    `earlier` ({(indicator, breakdown): (previous_value, change_pct, last_year_value,
    yoy_pct)} of the district's own rows, as texts worked by hand) also its comparisons.csv."""
    recs = records(region, "district", ROWS[region])
    if region == A:
        recs += records(TOWN, "township", ROWS[TOWN])
    compared = None if earlier is None else pl.DataFrame([{
        "period": P, "region_code": r["region_code"], "indicator": r["indicator"],
        "breakdown": r["breakdown"], "value": str(r["value"]), "previous_period": "2024H2",
        "last_year_period": "2024H1", "value_kind": r["value_kind"],
        **dict(zip(("previous_value", "change_pct", "last_year_value", "yoy_pct"),
                   earlier.get((r["indicator"], r["breakdown"]), (None,) * 4)
                   if r["region_code"] == region else (None,) * 4, strict=True)),
    } for r in recs], schema=dict.fromkeys(FRAME_COLUMNS, pl.String))
    write_release(root / "published", P, recs, manifest(run_id, **kw), pages=False,
                  comparisons=compared)
    return root / "published" / P


def regions_file(path: Path) -> Path:
    path.write_text(
        "区划代码,名称,层级,上级代码\n"
        f"{CITY},南京市,地市,\n{A},玄武区,区县,{CITY}\n{B},秦淮区,区县,{CITY}\n"
        f"{TOWN},梅园街道,乡镇街道,{A}\n", encoding="utf-8")
    return path
