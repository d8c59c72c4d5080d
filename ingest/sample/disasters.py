"""Disaster reports (初报/续报/核报 per event and township) and relief payments, per unit of
ten townships: about seven events a year, four of them in H1."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

# (month, hazard, crops?) of the year's events
EVENTS = ((1, "低温冷冻"), (4, "风雹"), (5, "地质灾害"), (6, "洪涝"), (7, "台风"), (8, "干旱"),
          (11, "森林火灾"))
H = timedelta(hours=1)
MIN_RELIEF_ROWS = 120  # so that one planted unknown_event stays under 1 % of the source


def _figures(rng, hazard, urban, scale):
    if hazard == "森林火灾":
        return [0, 0, 0.0, 0.0, 0, 0, 0, 0, round(rng.uniform(5, 40), 2)]
    affected = round(rng.randint(300, 6000) * scale)
    wet = hazard in ("洪涝", "台风", "地质灾害")
    reloc = round(affected * rng.uniform(0.02, 0.15)) if wet else 0
    crop = 0.0 if urban else round(rng.uniform(40, 1500), 1)
    failed = round(crop * rng.uniform(0, 0.2), 1)
    col_h = rng.randint(0, 6) if wet else 0
    dam_h = rng.randint(3, 80) if hazard != "干旱" else 0
    return [affected, reloc, crop, failed, col_h, col_h * rng.randint(2, 4), dam_h,
            dam_h * rng.randint(1, 3), round(rng.uniform(20, 900), 2)]


def _scaled(fig, f):
    out = [round(x * f) if isinstance(x, int) else round(x * f, 2) for x in fig]
    out[1] = min(out[1], out[0])
    out[3] = min(out[3], out[2])
    return out


def disasters(ctx, unit: int, towns) -> None:
    rng = random.Random(f"{ctx.seed}:disasters:{unit}")
    y = ctx.year
    relief_files = []
    for e, (month, hazard) in enumerate(EVENTS):
        event_id = f"ZH{y}{unit + 1:03d}{e + 1:02d}"
        start = datetime(y, month, rng.randint(2, 20), rng.randint(0, 23), rng.choice((0, 30)))
        hit = rng.sample(towns, rng.randint(3, 5))
        reports, reliefs = [], []
        for t in hit:
            fig = _figures(rng, hazard, t.kind == "街道", ctx.factor)
            stages = []
            if rng.random() < 0.9:
                late = rng.random() < 0.2
                delay = rng.uniform(2.2, 9) if late else rng.uniform(0.3, 1.9)
                stages.append(("initial", start + delay * H, rng.uniform(0.4, 0.8)))
            step = 240 if hazard == "干旱" else 24
            for k in range(rng.randint(1, 3)):
                stages.append(("update", start + (k + 1) * step * H + rng.randint(0, 5) * H,
                               rng.uniform(0.8, 0.98)))
            final = rng.random() < 0.85
            if final:
                stages.append(("final", stages[-1][1] + rng.randint(7, 15) * 24 * H, 1.0))
            latest = stages[-1][0]
            for stage, at, f in stages:
                at = at.replace(second=0, microsecond=0)
                reports.append([event_id, hazard, t.code, stage, start, at,
                                *(fig if f == 1.0 or stage == latest else _scaled(fig, f))])
            if 1 <= month <= 6:
                ctx.truth.add("disaster_pairs_h1")
                ctx.truth.add("disaster_affected_persons_h1", fig[0])
                first = min((at for s, at, _ in stages if s == "initial"), default=None)
                if first is not None and first <= start + 2 * H:
                    ctx.truth.add("disaster_initial_timely_pairs_h1")
            if fig[0] > 0 and 1 <= month <= 6:
                ctx.truth.add("disaster_pairs_affected_h1")
            if fig[0] > 0 and rng.random() < 0.85:
                quick = rng.random() < 0.6
                first = start + (rng.uniform(3, 11.5) if quick else rng.uniform(13, 60)) * H
                if quick and 1 <= month <= 6:
                    ctx.truth.add("disaster_relief_within_12h_pairs_h1")
                for k in range(rng.randint(4, 9)):
                    at = (first + k * rng.randint(10, 40) * H).replace(second=0, microsecond=0)
                    reliefs.append(_relief(rng, event_id, t.code, at))
        if 1 <= month <= 6:
            ctx.truth.add("disaster_events_h1")
        reports.sort(key=lambda r: (r[5], r[2]))
        grouped = {"form": {"header_rows": 2}, "header": "zh"} if (
            ctx.faulty and unit == 0 and e == 0) else {}  # issue 11: a header of two rows
        sh = ctx.sheet("disaster_reports", f"{event_id}{hazard}灾情报告",
                       title=(f"自然灾害情况统计快报表（{hazard}）", "填报单位：区应急管理局"),
                       total=False, **grouped)
        for r in reports:
            sh.add(r)
        ctx.close(sh)
        relief_files.append((event_id, hazard, month, reliefs, start, hit[0].code))
    # enough relief rows that one planted bad row stays under 1 %
    while sum(len(r[3]) for r in relief_files) < MIN_RELIEF_ROWS * (unit == 0):
        rows = max(relief_files, key=lambda r: len(r[3]))[3]
        last = rows[-1]
        rows.append(_relief(rng, last[1], last[2], last[3] + 6 * H))
    n = 0
    for i, (event_id, hazard, month, reliefs, start, region) in enumerate(relief_files):
        plant = ctx.faulty and unit == 0 and i == 0  # the January event: H1
        sh = ctx.sheet("disaster_relief", f"{event_id}{hazard}救灾款物发放表",
                       title=("救灾款物发放明细表", "填报单位：区应急管理局"),
                       total_cols=("persons", "funds"), **({"total": False} if plant else {}))
        for k, r in enumerate(reliefs):
            n += 1
            r[0] = f"JZ{ctx.year}{unit + 1:03d}{n:04d}"
            r[9] = relief_type(month, k)
            sh.add(r)
            if 1 <= month <= 6:
                ctx.truth.add("disaster_relief_persons_h1", r[4])
                ctx.truth.add("disaster_relief_funds_h1_yuan", r[5] / 100)
        if plant:  # an event number nobody reported
            sh.add([f"JZ{ctx.year}{unit + 1:03d}9999", f"ZH{y}{unit + 1:03d}99", region,
                    start + 5 * H, 20, 600000, None, None, None])
            ctx.plant("disaster_relief", "unknown_event")
        ctx.close(sh)


def relief_type(month: int, k: int) -> str | None:
    """v2 救助类型 of an event's k-th relief row: the first is 应急救助 (often left empty, the
    contract's default); later ones 冬春生活救助 in winter months, else 过渡期生活救助."""
    if k == 0:
        return None if month % 2 else "应急救助"
    return "冬春生活救助" if month in (1, 2, 12) else "过渡期生活救助"


def _relief(rng, event_id, region, at):
    persons = rng.randint(20, 300)
    opt = rng.random() < 0.7
    # materials per person as 第6篇 reports them (11600 persons: 80 quilts, 10 coats, 6000
    # 斤 = 3000 kg of rice), households at 4.7 persons (2456 households)
    return [None, event_id, region, at, persons, persons * rng.randrange(150, 501, 10) * 100,
            rng.randint(0, persons // 2) // 35 if opt else None,
            rng.randint(0, persons) // 550 if opt else None,
            round(persons * rng.uniform(5, 15) / 40, 1) if opt else None,
            None, max(1, persons * 10 // 47)]
