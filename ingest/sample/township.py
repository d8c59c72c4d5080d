"""One township's monthly rosters: 低保 households (13 files), members (1 file), 特困 (13)."""

from __future__ import annotations

import random
from datetime import date

from ingest.sample import faults
from ingest.sample.dibao import MONTHS, simulate
from ingest.sample.people import People

PROGRAM_ZH = {"urban": "城市", "rural": "农村"}
# v2 低保临时补助: a 价格临时补贴 of 50 yuan per covered person paid with January and February
# (an empty cell, one row in ten, is 0)
TEMP_SUBSIDY_MONTHS, TEMP_SUBSIDY_CENTS = (1, 2), 5000
# v2 残疾等级 of members (一级…四级): about 7 % hold a certificate, grades 1–4 weighted
DISABILITY_P, DISABILITY_W = 0.07, (8, 22, 30, 40)


def idtext(rng: random.Random, idn: str) -> str:
    """Clerks sometimes type the check character X in lower case."""
    return idn.lower() if idn.endswith("X") and rng.random() < 0.4 else idn


def dibao(ctx, t, plan, ppl: People, rng: random.Random) -> list:
    everyone: list = []
    prev = None
    for m, active in simulate(t, plan, ppl, rng, ctx.std, ctx.year, everyone):
        d = ctx.month(m)
        remarks = {i + 1: "新增" for i, h in enumerate(active) if h.start == m and m > 0}
        cols = [c for c in ("month", "household_id", "region_code", "program", "head_name",
                            "head_id_number", "family_size", "covered_persons",
                            "per_capita_income", "monthly_amount", "bank_account")
                if c != "bank_account" or rng.random() < 0.8]
        if m in TEMP_SUBSIDY_MONTHS:  # v2: the other months' files have no such column
            cols.append("temp_subsidy")
        carrier = faults.carrier(ctx, "dibao_households", t.index, m)
        title = (f"{d.year}年{d.month}月城乡低保资金发放名册", f"填报单位：{t.name}")
        name = (f"{d.year}年{d.month:02d}月{t.name}城乡低保资金发放名册" if rng.random() < 0.6
                else f"{t.name}低保发放{d.year}{d.month:02d}")
        tot = ("family_size", "covered_persons", "monthly_amount")
        force = {**({"total": False} if carrier else {}),
                 **faults.form(ctx, "dibao_households", t.index, m)}
        sheets = [ctx.sheet("dibao_households", name, title=title, total_cols=tot, roster=True,
                            columns=cols, remarks=remarks, **force)]
        copy = faults.copy_file(ctx, "dibao_households", t.index, m)
        if copy:
            sheets.append(ctx.sheet("dibao_households", name + "（更正）", title=title,
                                    total_cols=tot, columns=cols, total=True,
                                    total_offset=10000, share=1.0))
        zero_width = faults.marked(ctx, faults.ZERO_WIDTH, "dibao_households", t.index, m)
        stray = faults.marked(ctx, faults.STRAY_QUOTE, "dibao_households", t.index, m)
        for i, h in enumerate(active):
            if stray and i == len(active) // 2:  # mid-file: the lines after it must survive
                faults.stray_quote(ctx, t, ctx.fault_people(t), d, sheets[0], cols)
            head = h.members[0]
            row = {"month": d, "household_id": h.hid, "region_code": h.village.code,
                   "program": h.program, "head_name": head[0],
                   "head_id_number": idtext(rng, head[1]), "family_size": len(h.members),
                   "covered_persons": h.covered, "per_capita_income": h.income,
                   "monthly_amount": h.amount(), "bank_account": h.bank,
                   "temp_subsidy": None if i % 10 == 9 else h.covered * TEMP_SUBSIDY_CENTS}
            if zero_width and i % 7 == 0:
                row["household_id"] = faults.zero_width(h.hid)
            vals = [row[c] for c in cols]
            for sh in sheets:
                sh.add(vals)
        if carrier:
            for row in faults.dibao_rows(ctx, t, ctx.fault_people(t), d):
                sheets[0].add([row.get(c) for c in cols])
        ctx.close(sheets[0])
        if copy:
            ctx.close(sheets[1], rejected="total_mismatch")
        prev = ctx.truth.dibao_month(m, active, prev)
    return everyone


def members(ctx, t, households, ppl: People, rng: random.Random) -> None:
    carrier = faults.carrier(ctx, "dibao_members", t.index)
    force = {"fmt": "xlsx", "total": False} if carrier else {}
    force.update(faults.form(ctx, "dibao_members", t.index))
    sh = ctx.sheet("dibao_members", f"{t.name}低保家庭成员信息表",
                   title=(f"低保家庭成员花名册（{ctx.year}年）", f"填报单位：{t.name}"), **force)
    v2 = random.Random(f"{ctx.seed}:members:v2:{t.index}")
    for h in households:
        for name, idn, rel, covered in h.members:
            grade = (v2.choices((1, 2, 3, 4), DISABILITY_W)[0]
                     if v2.random() < DISABILITY_P else None)
            shown = None if grade is None else (
                f"{'一二三四'[grade - 1]}级" if v2.random() < 0.5 else str(grade))
            sh.add([h.hid, name, idtext(rng, idn), rel, covered, shown])
    if carrier:
        for row in faults.member_rows(ctx, households, ctx.fault_people(t)):
            sh.add(row)
    ctx.close(sh)


CARE = {"centralized": (20000, 60000), "dispersed": (0, 30000)}


def _tekun_person(ctx, t, ppl: People, rng: random.Random) -> list:
    v = rng.choices(t.villages, [x.resident * (1.8 if not x.urban_area else 1.0)
                                 for x in t.villages])[0]
    young = rng.random() < 0.12
    lo, hi = ((date(ctx.year - 59, 1, 1), date(ctx.year - 18, 12, 31)) if young
              else (date(ctx.year - 95, 1, 1), date(ctx.year - 60, 12, 31)))
    name, idn, _ = ppl.person(lo, hi, rng.random() < 0.62)
    # urban (三无) persons are seldom in institutions (第6篇: 4 of 71), rural (五保) a quarter
    care = "centralized" if rng.random() < (0.06 if v.urban_area else 0.25) else "dispersed"
    base = ctx.std[v.area] * 13 // 1000 * 100  # 1.3 x the standard, whole yuan
    extra = rng.choice(range(CARE[care][0], CARE[care][1] + 1, 5000))
    return [name, idn, v, care, base + extra]


def _urban_rural(v, idn: str, m: int) -> str | None:
    """v2 城乡类别 as clerks write it: empty (the village's area class decides) for about half
    of the rows, else the class in one of its spellings; always the village's own class."""
    k = (int(idn[14:17]) + m) % 4
    if k < 2:
        return None
    return ("城市", "三无")[k - 2] if v.urban_area else ("农村", "五保")[k - 2]


def tekun(ctx, t, plan, households, ppl: People, rng: random.Random) -> None:
    persons = [_tekun_person(ctx, t, ppl, rng) for _ in range(plan["tekun"])]
    # dual benefits: a covered member of a household on the roster all 13 months
    stable = [h for h in households if h.start == 0 and h.end == MONTHS
              and any(mb[3] for mb in h.members[1:])]
    duals = []
    for h in rng.sample(stable, min(plan["dual"], len(stable))):
        mb = next(mb for mb in h.members[1:] if mb[3])
        duals.append([mb[0], mb[1], h.village, "dispersed", ctx.std[h.village.area] * 13 // 10])
    ctx.truth.add("dual_benefit_persons_h1", len(duals))
    for m in range(MONTHS):
        d = ctx.month(m)
        if m > 0:
            persons = [p for p in persons if rng.random() > 0.005]
            persons += [_tekun_person(ctx, t, ppl, rng)
                        for _ in range(int(plan["tekun"] * 0.005 + rng.random()))]
        rows = persons + duals
        carrier = faults.carrier(ctx, "tekun_persons", t.index, m)
        title = (f"{d.year}年{d.month}月特困人员救助供养金发放名册", f"填报单位：{t.name}")
        name = f"{d.year}年{d.month:02d}月{t.name}特困供养名册"
        force = {**({"total": False} if carrier else {}),
                 **faults.form(ctx, "tekun_persons", t.index, m)}
        sh = ctx.sheet("tekun_persons", name, title=title, total_cols=("monthly_amount",),
                       roster=True, **force)
        copy = faults.copy_file(ctx, "tekun_persons", t.index, m)
        cols = ["month", "name", "id_number", "region_code", "monthly_amount"]
        cp = (ctx.sheet("tekun_persons", name + "（补报）", title=title, columns=cols,
                        share=0.0) if copy else None)
        for name_, idn, v, care, amt in rows:
            sh.add([d, name_, idtext(rng, idn), v.code, care, amt, _urban_rural(v, idn, m)])
            if cp:
                cp.add([d, name_, idn, v.code, amt])
            if m == 6:
                ctx.truth.add(f"tekun_persons_end_june_{care}")
            if 1 <= m <= 6:
                ctx.truth.add("tekun_funds_h1_yuan", amt / 100)
        if carrier:
            for row in faults.tekun_rows(ctx, t, ctx.fault_people(t), d, rows, sh.style):
                sh.add(row)
        faults.hidden_row(ctx, t, ctx.fault_people(t), d, sh)
        ctx.close(sh)
        if cp:
            ctx.close(cp, rejected="missing_column")
