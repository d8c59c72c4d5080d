"""generate(): write a fictional district's inbox following the data contract."""

from __future__ import annotations

import json
import random
import shutil
from datetime import date
from pathlib import Path

from ingest.contract import SOURCES
from ingest.sample import disasters, reference, registries, social_affairs, township, welfare
from ingest.sample import faults as plant
from ingest.sample.context import Ctx
from ingest.sample.geography import KINDS, build
from ingest.sample.people import People
from ingest.sample.plan import SCALES, plan_unit
from ingest.sample.writers import Raw

FAULTS = ("none", "some")


class SampleRefused(ValueError):
    """Arguments the generator refuses (a scale, a year, a folder that is not a sample's)."""


def generate(out: Path, scale: str = "district", seed: int = 7, faults: str = "none",
             year: int = 2025) -> dict:
    """Write ``<out>/<source>/<file>`` for every source and ``<out>/_planted.json``.

    Returns the planted dict: scale, seed, faults, year, quarantine {source: {reason: rows}}
    a correct ingest must report, rejected_files, rows {source: data rows written},
    truth (headline figures counted from the rows written, planted bad rows excluded).
    """
    if scale not in SCALES:
        raise SampleRefused(f"scale must be one of {', '.join(SCALES)}, not {scale!r}")
    if faults not in FAULTS:
        raise SampleRefused(f"faults must be one of {', '.join(FAULTS)}, not {faults!r}")
    if not 2005 <= year < date.today().year:
        raise SampleRefused(f"year must be a past year from 2005 on (data may not lie in the "
                         f"future), not {year!r}")
    out = Path(out)
    _prepare(out)
    ctx = Ctx(out, scale, int(seed), faults, year)
    towns = build(ctx.seed, ctx.units, ctx.factor)
    reference.regions(ctx, towns)
    reference.standards(ctx)
    shared = _open_shared(ctx)
    for u in range(ctx.units):
        unit = towns[u * len(KINDS):(u + 1) * len(KINDS)]
        disasters.disasters(ctx, u, unit)
        for t, plan in zip(unit, plan_unit(ctx.seed, u, unit, ctx.factor), strict=True):
            rng = random.Random(f"{ctx.seed}:township:{t.index}")
            ppl = People(rng, f"99{t.index + 1:04d}")
            households = township.dibao(ctx, t, plan, ppl, rng)
            township.members(ctx, t, households, ppl, rng)
            township.tekun(ctx, t, plan, households, ppl, rng)
            registries.lowincome(ctx, t, plan, households, ppl, rng)
            registries.temp(ctx, t, plan, ppl, rng)
            registries.veterans(ctx, t, plan, ppl, rng, shared)
            registries.officers(ctx, t, ppl, rng, shared["officers"])
            registries.soldiers(ctx, t, plan, ppl, rng, shared["soldiers"])
    for sh in (shared["veterans"], shared["officers"], shared["soldiers"], *shared["payments"]):
        ctx.close(sh)
    social_affairs.generate(ctx, towns)  # issue 13: the social-affairs registers
    if ctx.faulty:
        _payment_duplicate(ctx, shared["may_row"])
        plant.unreadable(ctx, towns[0])
    welfare.generate(ctx, towns)  # last: its sheets leave the other files' bytes alone
    report = ctx.truth.report(ctx.std)
    report["targets"] = reference.targets(ctx, report)
    planted = {
        "scale": scale, "seed": ctx.seed, "faults": faults, "year": year,
        "quarantine": {s: dict(sorted(r.items())) for s, r in sorted(ctx.quarantine.items())},
        "rejected_files": ctx.rejected,
        "rows": {s: ctx.rows[s] for s in SOURCES},
        "truth": report,
    }
    (out / "_planted.json").write_text(
        json.dumps(planted, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return planted


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / "_planted.json").exists():
            raise SampleRefused(f"{out} is not empty and holds no sample inbox (_planted.json); "
                             "choose an empty or new folder")
        for s in SOURCES:
            shutil.rmtree(out / s, ignore_errors=True)
        (out / "_planted.json").unlink()
    out.mkdir(parents=True, exist_ok=True)


def _open_shared(ctx) -> dict:
    y = ctx.year
    shared = {
        "veterans": ctx.sheet("veterans", f"{y}年优抚对象花名册",
                              title=("重点优抚对象花名册", "填报单位：区退役军人事务局")),
        "officers": ctx.sheet("disaster_officers", f"{y}年灾害信息员名册",
                              title=("灾害信息员队伍花名册", "填报单位：区应急管理局")),
        "soldiers": ctx.sheet("soldiers_received", f"{y}年退役士兵接收安置台账",
                              title=(f"{y}年度退役士兵接收安置情况",)),
        "payments": [],
    }
    for m in range(13):
        d = ctx.month(m)
        force = {"total": False} if plant.carrier(ctx, "veteran_payments", None, m) else {}
        shared["payments"].append(ctx.sheet(
            "veteran_payments", f"{d.year}年{d.month:02d}月优抚金发放名册",
            title=(f"{d.year}年{d.month}月优抚对象抚恤补助金发放表",), roster=True,
            total_cols=("amount",), **force))
    return shared


def _payment_duplicate(ctx, row) -> None:
    d, idn, benefit, cents = row
    sh = ctx.sheet("veteran_payments", f"{d.year}年{d.month}月优抚金补发名册", total=False,
                   title=(f"{d.year}年{d.month}月优抚金补发表",), share=0.0, code="zh")
    sh.add([Raw(f"{d.year}年{d.month}月"), idn.lower(), benefit, Raw(f"{cents / 100:,.2f}元")])
    ctx.plant("veteran_payments", "duplicate_row")
    ctx.close(sh)
