"""Per-township registries: 低收入 households, 临时救助 cases, veterans and their monthly
payments, disaster information officers, received soldiers."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ingest.sample import faults
from ingest.sample.people import People, legacy15, rand_date

REASONS = (("突发重病", 45, 2000, 10000), ("交通事故", 10, 1000, 8000), ("火灾", 8, 2000, 10000),
           ("自然灾害", 12, 500, 5000), ("其他", 25, 300, 3000))
CATEGORIES = {  # slug: (weight, born from, born to, benefit, monthly cents)
    "disabled": (12, 1945, 2000, "disability_pension", None),
    "martyr_family": (3, 1935, 1985, "survivor_pension", 290000),
    "duty_death_family": (2, 1935, 1985, "survivor_pension", 260000),
    "illness_death_family": (5, 1935, 1985, "survivor_pension", 240000),
    "demobilized": (1, 1925, 1936, "living_allowance", 190000),
    "returned_ill": (6, 1940, 1975, "living_allowance", 110000),
    "war_veteran": (21, 1940, 1968, "war_allowance", 90000),
    "rural_veteran": (50, 1940, 1964, "living_allowance", 45000),
    "martyr_children": (1, 1940, 1965, "martyr_children_allowance", 60000),  # v2
}
GRADE_CENTS = (850000, 770000, 680000, 530000, 420000, 340000, 250000, 190000, 130000, 80000)
PLACEMENTS = (("self_employed", 70), ("assigned_job", 15), ("retired", 3), ("supported", 1),
              ("pending", 11))


def _village(rng, t, rural_bias=1.0):
    return rng.choices(t.villages, [v.resident * (rural_bias if not v.urban_area else 1.0)
                                    for v in t.villages])[0]


def lowincome(ctx, t, plan, households, ppl: People, rng: random.Random) -> None:
    y = ctx.year
    june = [h for h in households if h.start <= 6 < h.end]
    june_heads = {h.members[0][1] for h in june}
    sh = ctx.sheet("lowincome_households", f"{t.name}{y}年低收入家庭认定台账",
                   title=(f"{y}年低收入人口认定台账", f"填报单位：{t.name}"),
                   total_cols=("family_size",),
                   **({"total": False} if faults.carrier(ctx, "lowincome_households", t.index)
                      else {}))
    n_dibao = max(1, plan["lowincome"] // 100) if june else 0
    for k in range(plan["lowincome"]):
        on = rand_date(rng, date(y - 1, 1, 5), date(y, 12, 20))
        if k < n_dibao:  # a 低保 head also assessed: income at or below the standard
            h = rng.choice(june)
            v, head, size = h.village, h.members[0][1], len(h.members)
            std = ctx.std[v.area]
            income = rng.randrange(0, std // 2)
            on = min(on, date(y, 6, 30))
        else:
            v = _village(rng, t, 1.3)
            head = ppl.person(date(y - 80, 1, 1), date(y - 25, 12, 31))[1]
            size = rng.choices((1, 2, 3, 4, 5), (20, 30, 25, 17, 8))[0]
            std = ctx.std[v.area]
            r = rng.random()
            if r < 0.025:  # at or below the standard, not on the roster: suspected 漏保
                income = round(std * rng.uniform(0.3, 1.0))
            elif r < 0.875:
                income = rng.randrange(std + 1, 2 * std + 1)
            else:
                income = rng.randrange(2 * std + 1, std * 28 // 10)
        sh.add([f"DS{t.index + 1:03d}{k + 1:05d}", head, v.code, size, income, on])
        if on <= date(y, 6, 30):
            cls = "urban" if v.urban_area else "rural"
            if std < income <= 2 * std:
                ctx.truth.add(f"lowincome_households_h1_{cls}")
                ctx.truth.add(f"lowincome_persons_h1_{cls}", size)
            if income <= std and head not in june_heads:
                ctx.truth.add("dibao_suspected_missed_june")
    if faults.carrier(ctx, "lowincome_households", t.index):
        for row in faults.lowincome_rows(ctx, t, ctx.fault_people(t)):
            sh.add(row)
    ctx.close(sh)


def temp(ctx, t, plan, ppl: People, rng: random.Random) -> None:
    y = ctx.year
    cases = sorted((rand_date(rng, date(y, 1, 2), date(y, 12, 28)), k)
                   for k in range(plan["temp"]))
    for half, months in ((1, range(1, 7)), (2, range(7, 13))):
        carrier = half == 1 and faults.carrier(ctx, "temp_assistance", t.index)
        span = "1-6月" if half == 1 else "7-12月"
        sh = ctx.sheet("temp_assistance", f"{t.name}{y}年{span}临时救助台账",
                       title=(f"{y}年{span}临时救助发放台账", f"填报单位：{t.name}"),
                       total_cols=("persons", "amount"), **({"total": False} if carrier else {}))
        for paid_on, k in cases:
            if paid_on.month not in months:
                continue
            reason, _, lo, hi = rng.choices(REASONS, [r[1] for r in REASONS])[0]
            persons = rng.choices((1, 2, 3, 4, 5), (40, 25, 18, 12, 5))[0]
            amount = rng.randrange(lo, hi + 1, 100) * 100
            idn = ppl.person(date(y - 75, 1, 1), date(y - 20, 12, 31))[1]
            v = _village(rng, t, 1.2)
            code = v.code
            if half == 1 and faults.marked(ctx, faults.APOSTROPHE, "temp_assistance", t.index):
                idn, code = faults.apostrophe(idn), faults.apostrophe(code)
            sh.add([f"LS{y}{t.index + 1:03d}{k + 1:04d}", idn, code, paid_on, reason,
                    persons, amount])
            if half == 1:
                ctx.truth.add("temp_assist_cases_h1")
                ctx.truth.add("temp_assist_persons_h1", persons)
                ctx.truth.add("temp_assist_funds_h1_yuan", amount / 100)
        if carrier:
            for row in faults.temp_rows(ctx, t, ctx.fault_people(t)):
                sh.add(row)
        ctx.close(sh)


def _month_end(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def veterans(ctx, t, plan, ppl: People, rng: random.Random, shared) -> None:
    y = ctx.year
    cats = list(CATEGORIES)
    for _ in range(plan["veterans"]):
        cat = rng.choices(cats, [CATEGORIES[c][0] for c in cats])[0]
        _, b_lo, b_hi, benefit, cents = CATEGORIES[cat]
        male = rng.random() < (0.95 if cat in ("disabled", "demobilized", "returned_ill",
                                               "war_veteran", "rural_veteran") else 0.3)
        name, idn, birth = ppl.person(date(b_lo, 1, 1), date(b_hi, 12, 31), male)
        v = _village(rng, t, 1.5)
        grade = rng.choices(range(1, 11), (1, 1, 2, 3, 5, 7, 10, 14, 20, 25))[0] \
            if cat == "disabled" else None
        hi = date(y, 12, 20) if rng.random() < 0.04 else date(y - 1, 12, 31)
        rec = rand_date(rng, min(hi, max(date(1985, 1, 1), date(birth.year + 22, 1, 1))), hi)
        ended = rand_date(rng, date(y - 1, 6, 1), date(y, 12, 20)) if rng.random() < 0.03 \
            else None
        if ended and ended <= rec:
            ended = None
        shown = legacy15(idn) if birth.year < 1950 and rng.random() < 0.1 else idn
        shared["veterans"].add([name, shown, v.code, cat, grade, rec, ended])
        june_end = date(y, 6, 30)
        if rec <= june_end and (ended is None or ended > june_end):
            ctx.truth.add("veterans_persons_end_june")
        pays = [(benefit, GRADE_CENTS[grade - 1] if grade else cents)]
        if y - birth.year >= 80:
            pays.append(("elderly_allowance", 15000))
        family = cat in ("rural_veteran", "war_veteran") and rng.random() < 0.03
        for m, sheet in enumerate(shared["payments"]):
            d = ctx.month(m)
            if rec > _month_end(d) or (ended is not None and ended <= _month_end(d)):
                continue
            for b, amt in pays + ([("conscript_family_allowance", 1200000)]
                                  if family and m == 1 else []):
                sheet.add([d, idn, b, amt])
                if m == 5:  # a real May payment, for the planted duplicate_row
                    shared.setdefault("may_row", [d, idn, b, amt])
                if 1 <= m <= 6:
                    ctx.truth.add("veteran_funds_h1_yuan", amt / 100)
    if ctx.faulty and t.index == 0:
        shared["veterans"].add(faults.veteran_row(ctx, t, ctx.fault_people(t)))
        for row in faults.payment_rows(ctx, ctx.fault_people(t), ctx.month(4)):
            shared["payments"][4].add(row)


def officers(ctx, t, ppl: People, rng: random.Random, sheet) -> None:
    y = ctx.year
    for v in t.villages:
        k = rng.choices((0, 1, 2), (5, 65, 30))[0]
        for _ in range(k):
            name, idn, _ = ppl.person(date(y - 60, 1, 1), date(y - 25, 12, 31))
            sheet.add([name, idn, v.code, ppl.phone(), rng.random() > 0.06])
    if ctx.faulty and t.index == 0:
        sheet.add(faults.officer_row(ctx, t, ctx.fault_people(t)))


def soldiers(ctx, t, plan, ppl: People, rng: random.Random, sheet) -> None:
    y = ctx.year
    v2 = random.Random(f"{ctx.seed}:soldiers:v2:{t.index}")  # placed_on: other data unchanged
    if ctx.faulty and t.index == 0:  # placed before received (v2) -> invalid_date
        name, idn, _ = ctx.fault_people(t).person(date(y - 30, 1, 1), date(y - 24, 12, 31), True)
        on = date(y, 3, 20)
        sheet.add([name, idn, t.villages[0].code, "nco", on, "assigned_job", 0,
                   on - timedelta(days=7)])
        ctx.plant("soldiers_received", "invalid_date")
    for _ in range(plan["soldiers"]):
        nco = rng.random() < 0.4
        name, idn, _ = ppl.person(date(y - (38 if nco else 26), 1, 1),
                                  date(y - (24 if nco else 20), 12, 31), rng.random() < 0.92)
        spring = rng.random() < 0.56
        on = rand_date(rng, date(y, 3, 1), date(y, 4, 30)) if spring else \
            rand_date(rng, date(y, 9, 1), date(y, 10, 31))
        place = rng.choices([p for p, _ in PLACEMENTS], [w for _, w in PLACEMENTS])[0]
        if not nco and place in ("assigned_job", "retired"):
            place = "self_employed"
        subsidy = (rng.randrange(30, 61) if not nco else rng.randrange(60, 201)) * 100000 \
            if place == "self_employed" else 0
        placed = None if place == "pending" else on + timedelta(days=v2.randint(10, 75))
        sheet.add([name, idn, _village(rng, t).code, "nco" if nco else "conscript", on, place,
                   subsidy, placed])
        if spring:
            ctx.truth.add("soldiers_received_h1")
            ctx.truth.add(f"soldiers_received_h1_{place}")
            ctx.truth.add("soldiers_one_off_subsidy_h1_yuan", subsidy / 100)
