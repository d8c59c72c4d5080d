"""低保 households of one township over 13 months (December of year-1, then January-December).

Households keep their household_id; each month some leave, some join, and some get a higher
(提标) or lower (降标) payment because their income changed. The payment is the 差额:
covered_persons x (standard - per-capita income), in whole yuan per person, at least 10 yuan
per person; a household whose income is above the standard (suspected 错保) gets 30 yuan a head.
"""

from __future__ import annotations

import random
from datetime import date

from ingest.sample.people import People

MONTHS = 13  # index 0 = December of year-1, 1..12 = January..December of year
# covered persons (1..5) weights, extra non-covered members (0..2) weights
COVERED_W = {"urban": (45, 34, 14.5, 5, 1.5), "rural": (26, 36, 21, 11, 6)}
EXTRA_W = (55, 30, 15)
INCOME = {"urban": (0.45, 0.05, 0.60), "rural": (0.35, 0.10, 0.70)}  # P(no income), U(lo, hi)xstd
INELIGIBLE_P = 0.0012


class Household:
    __slots__ = ("hid", "village", "program", "std", "members", "covered", "income",
                 "bank", "start", "end", "ineligible")

    def amount(self) -> int:
        if self.income >= self.std:
            per = 30
        else:
            per = max((self.std - self.income) // 100, 10)
        return self.covered * per * 100


def tier(program: str, area: str) -> str:
    return area if program == "urban" and area in ("city", "town") else "rural"


def _members(ppl: People, rng: random.Random, size: int, covered: int, year: int, program: str):
    lo_age = 30 if program == "urban" else 35
    head_male = rng.random() < 0.6
    hb_lo, hb_hi = date(year - 85, 1, 1), date(year - lo_age, 12, 31)
    name, idn, hb = ppl.person(hb_lo, hb_hi, head_male)
    out = [[name, idn, "户主", True]]
    rels: list[str] = []
    if size >= 2 and rng.random() < 0.7:
        rels.append("配偶")
    head_age = year - hb.year
    while len(rels) < size - 1:
        r = rng.random()
        if r < 0.72 or (head_age >= 58 and r < 0.9):
            rels.append("子女")
        elif head_age < 58 and rels.count("父母") < 2 and r < 0.9:
            rels.append("父母")
        else:
            rels.append("其他")
    limit = date(year - 1, 11, 30)
    for rel in rels:
        if rel == "配偶":
            male, lo, hi = not head_male, date(hb.year - 5, 1, 1), date(hb.year + 5, 12, 31)
        elif rel == "子女":
            male, lo, hi = None, date(hb.year + 20, 1, 1), date(hb.year + 38, 12, 31)
        elif rel == "父母":
            male, lo, hi = None, date(max(hb.year - 36, 1926), 1, 1), date(hb.year - 20, 12, 31)
        else:
            male, lo, hi = None, date(1950, 1, 1), date(2015, 12, 31)
        hi, lo = min(hi, limit), min(lo, limit)
        n, i, _ = ppl.person(lo, hi, male)
        out.append([n, i, rel, False])
    others = list(range(1, size))
    for j in rng.sample(others, covered - 1):
        out[j][3] = True
    return out


def new_household(hid, village, program, std, ppl, rng, year, start) -> Household:
    h = Household()
    h.hid, h.village, h.program, h.std, h.start, h.end = hid, village, program, std, start, MONTHS
    covered = rng.choices((1, 2, 3, 4, 5), COVERED_W[program])[0]
    size = covered + rng.choices((0, 1, 2), EXTRA_W)[0]
    h.covered = covered
    h.members = _members(ppl, rng, size, covered, year, program)
    h.ineligible = rng.random() < INELIGIBLE_P
    p0, lo, hi = INCOME[program]
    if h.ineligible:
        h.income = std + rng.randrange(500, 8000)
    elif rng.random() < p0:
        h.income = 0
    else:
        h.income = round(std * rng.uniform(lo, hi))
    h.bank = ppl.bank_account() if rng.random() < 0.85 else None
    return h


def simulate(t, plan, ppl: People, rng: random.Random, std: dict, year: int, everyone: list):
    """Yield (month_index, [household, ...]) for the 13 months; ``everyone`` collects every
    household created.

    ``plan[(program, event)]`` is a list of 13 counts (index = month) for events
    new/exit/raise/lower; ``plan[(program, "start")]`` the December households.
    ``std`` maps tier -> standard in cents.
    """
    villages = {p: [v for v in t.villages if (v.urban_area if p == "urban" else not v.urban_area)]
                for p in ("urban", "rural")}
    weights = {p: [v.resident for v in vs] for p, vs in villages.items()}
    if not villages["urban"]:
        villages["urban"], weights["urban"] = t.villages, [v.resident for v in t.villages]
    # a few urban-program households live in rural villages (paid at the rural standard)
    allv = {"urban": villages["urban"] + [v for v in t.villages if not v.urban_area],
            "rural": villages["rural"] or t.villages}
    allw = {"urban": weights["urban"] + [v.resident * 0.04 for v in t.villages
                                         if not v.urban_area],
            "rural": weights["rural"] or [v.resident for v in t.villages]}
    serial = {"urban": 0, "rural": 0}
    prefix = {"urban": "CS", "rural": "NC"}

    def make(program, start):
        serial[program] += 1
        v = rng.choices(allv[program], allw[program])[0]
        hid = f"{prefix[program]}{t.index + 1:03d}{serial[program]:05d}"
        h = new_household(hid, v, program, std[tier(program, v.area)], ppl, rng, year, start)
        everyone.append(h)
        return h

    active = {p: [make(p, 0) for _ in range(plan[(p, "start")])] for p in ("urban", "rural")}
    for m in range(MONTHS):
        for p in ("urban", "rural"):
            if m > 0:
                act = active[p]
                n_exit = min(plan[(p, "exit")][m], len(act))
                leaving = set(rng.sample(range(len(act)), n_exit))
                for i in leaving:
                    act[i].end = m
                act = [h for i, h in enumerate(act) if i not in leaving]
                ok = [h for h in act if not h.ineligible]
                up = [h for h in ok if h.income >= 1000]
                raised = rng.sample(up, min(plan[(p, "raise")][m], len(up)))
                for h in raised:
                    h.income = max(h.income - rng.randrange(1000, 6000), 0)
                rs = set(map(id, raised))
                down = [h for h in ok if id(h) not in rs and h.income + 4000 < h.std - 2000]
                for h in rng.sample(down, min(plan[(p, "lower")][m], len(down))):
                    h.income += rng.randrange(1000, 4000)
                act.extend(make(p, m) for _ in range(plan[(p, "new")][m]))
                active[p] = act
        yield m, active["urban"] + active["rural"]
