"""Reference files: regions (行政区划及人口), dibao_standards, targets."""

from __future__ import annotations

import random
from datetime import date

from ingest.sample.context import OLD_STANDARDS
from ingest.sample.geography import DISTRICT_CODE, DISTRICT_NAME
from ingest.sample.writers import Raw


def _zone_and_committee(rng: random.Random, urc: str) -> list:
    """v2 regions columns of a village: most cells empty (the contract's defaults); a fifth of
    rural villages are 土葬改革区; a few town-class villages keep a 村民委员会 (城中村)."""
    rural = urc.startswith("2")
    zone = ("土葬改革区" if rural and rng.random() < 0.2
            else "火葬区" if rng.random() < 0.2 else None)
    if urc.startswith("12") and rng.random() < 0.1:
        committee = "村民委员会"
    elif rng.random() < 0.3:
        committee = "村民委员会" if rural else "居民委员会"
    else:
        committee = None
    return [zone, committee]


def regions(ctx, towns) -> None:
    sh = ctx.sheet("regions", f"{DISTRICT_NAME}行政区划及人口{ctx.year}",
                   title=(f"{DISTRICT_NAME}行政区划代码及人口（{ctx.year}年初）",), total=False)
    v2 = random.Random(f"{ctx.seed}:regions:v2")
    sh.add([DISTRICT_CODE, DISTRICT_NAME, "district", None, None, None, None])
    for t in towns:
        sh.add([t.code, t.name, "township", DISTRICT_CODE, None, None, None])
        for v in t.villages:
            sh.add([v.code, v.name, "village", t.code, Raw(v.urc), v.resident, v.registered,
                    *_zone_and_committee(v2, v.urc)])
            ctx.truth.pop["urban" if v.urban_area else "rural"] += v.resident
    ctx.close(sh)


def standards(ctx) -> None:
    sh = ctx.sheet("dibao_standards", f"城乡低保标准（{ctx.year - 1}年7月起执行）",
                   title=("城乡最低生活保障标准",), total=False)
    for when, table in ((date(ctx.year - 2, 7, 1), OLD_STANDARDS),
                        (date(ctx.year - 1, 7, 1), ctx.std)):
        for tier in ("city", "town", "rural"):
            sh.add([when, tier, table[tier]])
    ctx.close(sh)


def targets(ctx, report: dict) -> list[list]:
    """Targets of ``year``: every H1 completion rate lands between 50 % and 100 %."""
    d, o = report["dibao"], report["other"]
    rows = [
        ("dibao_persons_end", "total", round(d["total"]["persons_end_june"] * 1.03)),
        ("dibao_persons_end", "rural", round(d["rural"]["persons_end_june"] * 1.01)),
        ("dibao_funds", "total", round(d["total"]["funds_h1_yuan"] / 1e4 * 1.95, 2)),
        ("temp_assist_cases", "", round(o.get("temp_assist_cases_h1", 0) * 1.9)),
        ("temp_assist_funds", "", round(o.get("temp_assist_funds_h1_yuan", 0) / 1e4 * 1.9, 2)),
        ("tekun_persons_end", "total",
         o.get("tekun_persons_end_june_centralized", 0)
         + o.get("tekun_persons_end_june_dispersed", 0) + 10),
        ("soldiers_received", "total", round(o.get("soldiers_received_h1", 0) * 1.8)),
    ]
    sh = ctx.sheet("targets", f"{ctx.year}年度民政重点工作目标任务",
                   title=(f"{ctx.year}年度目标任务分解表",), total=False)
    out = []
    for ind, breakdown, value in rows:
        sh.add([ctx.year, ind, breakdown or ("total" if ctx.rng.random() < 0.5 else None),
                value])
        out.append([ctx.year, ind, breakdown or "total", value])
    ctx.close(sh)
    return out
