"""The welfare and medical registers of the sample district (issue 14): 老年人补贴 (roster and
standards), 优待证, 孤儿和事实无人抚养儿童 (roster and standards), 医疗救助, 资助参保, and the
deaths of the people in them (a few still paid after death).

Magnitudes per unit (one unit = the sample district), after the seed summary (第6篇): H1
高龄 新增35人, 百岁老人1人, 补贴资金87 908元 (≈ 145 persons at 80–500 元); 优待证 900 本 in
H1; 孤儿65人 (城市38、农村27), 15.486万元 (≈ 350 元/月 family, 600 元/月 institutional);
医疗救助 194户、290人次、40.8万元 in H1; 资助参保 11 522 urban persons 69.13万元 and 3 567
rural 21.4万元 (60 元 each). Every person here has the ID prefix 96…, so none collides with the
other registers; medical beneficiaries are therefore never 低保/特困 except two planted
settlements that medical_beneficiary_unmatched finds. Deaths: the only writer of the
`deaths` folder for now (issue 13 may add its own rows through ``death_rows``).

Faults (``--faults some``), each under 1 % of its source's H1 rows: elderly_subsidies
age_below_band 1, amount_over_standard 1; child_welfare_payments over_age 1,
amount_over_standard 1; medical_assistance invalid_amount 1. Uses its own random streams and
creates its sheets after every other module, so the other sources' files are unchanged.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ingest.sample.geography import KINDS
from ingest.sample.people import People, rand_date

LONGEVITY = (("80_89", 8000), ("90_99", 15000), ("100_plus", 50000))  # cents per month
OTHER_SUBSIDIES = (("care", "60_plus", 20000), ("service", "60_plus", 10000))
CHILD_STANDARDS = {("orphan", "family"): 35000, ("orphan", "institutional"): 60000,
                   ("de_facto", "family"): 35000, ("de_facto", "institutional"): 60000}


def _month_end(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _name(ctx, u: int, name: str) -> str:
    """A file name unique across units (the city and province scales have several)."""
    return name if ctx.units == 1 else f"{name}_{u + 1:03d}"


def _band(age: int) -> tuple[str, int] | None:
    for band, cents in LONGEVITY:
        lo, hi = band.split("_")
        if int(lo) <= age <= (1000 if hi == "plus" else int(hi)):
            return band, cents
    return None


def generate(ctx, towns) -> None:
    """Write the welfare and medical sources of every unit (see the module docstring)."""
    deaths: list[list] = []
    _standards(ctx)
    for u in range(ctx.units):
        unit = towns[u * len(KINDS):(u + 1) * len(KINDS)]
        rng = random.Random(f"{ctx.seed}:welfare:{u}")
        ppl = People(rng, f"96{u:04d}")
        villages = [v for t in unit for v in t.villages]
        deaths += _elderly(ctx, u, unit, ppl, rng)
        _cards(ctx, u, villages, ppl, rng)
        deaths += _children(ctx, u, villages, ppl, rng)
        _medical(ctx, u, villages, ppl, rng)
        _insurance(ctx, u, villages, ppl, rng)
    sh = ctx.sheet("deaths", f"{ctx.year}年死亡人口信息", title=("死亡人口信息（户籍注销）",))
    for row in death_rows(deaths):
        sh.add(row)
    ctx.close(sh)


def death_rows(deaths: list[list]) -> list[list]:
    """Rows of the deaths source (name, id_number, region_code, died_on, origin), sorted by
    date: the one place these registers' deaths are written (issue 13 may merge its own)."""
    return sorted(deaths, key=lambda r: (r[3], r[1]))


def _standards(ctx) -> None:
    y = ctx.year
    sh = ctx.sheet("elderly_subsidy_standards", f"{y}年老年人补贴标准",
                   title=("老年人补贴标准",))
    for band, cents in LONGEVITY:
        sh.add([date(y - 1, 1, 1), "longevity", band, cents])
    for subsidy, band, cents in OTHER_SUBSIDIES:
        sh.add([date(y - 1, 1, 1), subsidy, band, cents])
    ctx.close(sh)
    sh = ctx.sheet("child_welfare_standards", f"{y}年儿童基本生活费标准",
                   title=("孤儿和事实无人抚养儿童基本生活费标准",))
    for (category, care), cents in CHILD_STANDARDS.items():
        sh.add([date(y - 1, 1, 1), category, care, cents])
    ctx.close(sh)


def _elderly(ctx, u, unit, ppl: People, rng) -> list[list]:
    """The monthly roster (months 0..12); returns the deaths of its people."""
    y = ctx.year
    people = []  # (name, id, born, village, subsidy, first month, last month, died_on)
    for k, t in enumerate(unit):
        for subsidy, _, _ in OTHER_SUBSIDIES:  # persistent: every township reports monthly
            for _ in range(2 + k % 3):
                name, idn, born = ppl.person(date(y - 95, 1, 1), date(y - 66, 12, 31))
                people.append((name, idn, born, rng.choice(t.villages), subsidy, 0, 12, None))
    villages = [v for t in unit for v in t.villages]
    for n in range(200):
        if n < 130:  # on the roster since before the year, four in five under 90
            lo = date(y - 89, 1, 1) if rng.random() < 0.8 else date(y - 99, 1, 1)
            name, idn, born = ppl.person(lo, date(y - 81, 12, 31))
        elif n == 130:  # the centenarian
            name, idn, born = ppl.person(date(y - 102, 1, 1), date(y - 101, 12, 31))
        else:  # turns 80 during the year: joins in the month of the birthday
            name, idn, born = ppl.person(date(y - 80, 1, 1), date(y - 80, 12, 31))
        first = 0 if _age(born, date(y - 1, 12, 31)) >= 80 else born.month
        last, died = 12, None
        if n < 130 and rng.random() < 0.2:  # dies during the year: ends the month after
            died = rand_date(rng, date(y, 1, 1), date(y, 11, 30))
            last = died.month
            if n < 3:  # still paid for two months after death (a finding, not a fault)
                last = min(12, died.month + 2)
        people.append((name, idn, born, rng.choice(villages), "longevity", first, last, died))
    deaths = [[p[0], p[1], p[3].code, p[7], rng.choice(("police", "health"))]
              for p in people if p[7] is not None]
    for m in range(13):
        d = ctx.month(m)
        sh = ctx.sheet("elderly_subsidies", _name(ctx, u, f"{d.year}年{d.month:02d}月老年人补贴发放名册"),
                       title=(f"{d.year}年{d.month}月高龄津贴等老年人补贴发放名册",), roster=True,
                       total_cols=("amount",))
        for name, idn, born, v, subsidy, first, last, _ in people:
            if not first <= m <= last:
                continue
            if subsidy == "longevity":
                band = _band(_age(born, _month_end(d)))
                if band is None:
                    continue
                cents = band[1]
                if 1 <= m <= 6:
                    ctx.truth.add("longevity_funds_h1_yuan", cents / 100)
                if m == 6:
                    ctx.truth.add("longevity_persons_end_june")
            else:
                cents = dict((s, c) for s, _, c in OTHER_SUBSIDIES)[subsidy]
            sh.add([d, name, idn, v.code, subsidy, cents, ppl.bank_account()])
        if ctx.faulty and u == 0 and m == 3:
            fp = People(random.Random(f"{ctx.seed}:welfare-faults"), "960999")
            name, idn, _ = fp.person(date(y - 79, 6, 1), date(y - 79, 12, 31))  # 79 in March
            sh.add([d, name, idn, villages[0].code, "longevity", 10000, None])
            ctx.plant("elderly_subsidies", "age_below_band")
            name, idn, _ = fp.person(date(y - 85, 1, 1), date(y - 84, 12, 31))
            sh.add([d, name, idn, villages[0].code, "longevity", 15000, None])  # 80_89: 100
            ctx.plant("elderly_subsidies", "amount_over_standard")
        ctx.close(sh)
    return deaths


def _cards(ctx, u, villages, ppl: People, rng) -> None:
    y = ctx.year
    sh = ctx.sheet("senior_cards", _name(ctx, u, f"{y}年老年人优待证发放台账"),
                   title=("老年人优待证发放台账",))
    for k in range(1800):
        on = rand_date(rng, date(y, 1, 2), date(y, 12, 28))
        _, idn, _ = ppl.person(date(y - 90, 1, 1), date(y - 60, 1, 1))
        sh.add([f"YD{y}{u:02d}{k + 1:05d}", idn, rng.choice(villages).code, on])
    ctx.close(sh)


def _children(ctx, u, villages, ppl: People, rng) -> list[list]:
    y = ctx.year
    urban = [v for v in villages if v.urban_area] or villages
    rural = [v for v in villages if not v.urban_area] or villages
    home = urban[0]  # the children's home (集中养育)
    kids = []  # (child_id, has_id, name, village, category, care, in_school, died_on, born)
    for k in range(85):
        category = "orphan" if k < 65 else "de_facto"
        care = "institutional" if k % 7 == 0 else "family"
        village = home if care == "institutional" else \
            rng.choice(urban if (k < 38 if category == "orphan" else k % 2) else rural)
        if k == 14:  # turns 18 in May, in school
            name, idn, born = ppl.person(date(y - 18, 5, 10), date(y - 18, 5, 20))
            kids.append((idn, True, name, village, category, care, True, None, born))
        elif care == "institutional" and k % 3 == 0:  # no identity papers: a case number
            kids.append((f"FL{y}{u:02d}{k:03d}", False, ppl.name(), village, category, care,
                         False, None, None))
        else:
            name, idn, born = ppl.person(date(y - 17, 7, 1), date(y - 2, 1, 1))
            died = date(y, 3, 20) if k == 20 else None  # paid April and May after death
            kids.append((idn, True, name, village, category, care, False, died, born))
    deaths = [[k[2], k[0], k[3].code, k[7], "health"] for k in kids if k[7] is not None]
    for m in range(13):
        d = ctx.month(m)
        name = _name(ctx, u, f"{d.year}年{d.month:02d}月儿童基本生活费发放名册")
        sh = ctx.sheet("child_welfare_payments", name,
                       title=(f"{d.year}年{d.month}月孤儿和事实无人抚养儿童基本生活费发放名册",),
                       roster=True, total_cols=("amount",))
        for cid, has_id, name, v, category, care, school, died, _ in kids:
            if died is not None and m > died.month + 2:
                continue
            cents = CHILD_STANDARDS[(category, care)]
            sh.add([d, cid, has_id, name, v.code, category, care, school, cents])
            if category == "orphan" and 1 <= m <= 6:
                ctx.truth.add("orphan_funds_h1_yuan", cents / 100)
            if category == "orphan" and m == 6:
                ctx.truth.add("orphans_end_june")
        if ctx.faulty and u == 0 and m == 3:
            fp = People(random.Random(f"{ctx.seed}:welfare-child-faults"), "960998")
            name, idn, _ = fp.person(date(y - 20, 1, 1), date(y - 19, 1, 1))  # 19, not in school
            sh.add([d, idn, True, name, rural[0].code, "orphan", "family", False, 35000])
            ctx.plant("child_welfare_payments", "over_age")
            name, idn, _ = fp.person(date(y - 10, 1, 1), date(y - 9, 1, 1))
            sh.add([d, idn, True, name, rural[0].code, "orphan", "family", None, 40000])
            ctx.plant("child_welfare_payments", "amount_over_standard")
        ctx.close(sh)
    return deaths


def _medical(ctx, u, villages, ppl: People, rng) -> None:
    y = ctx.year
    sh = ctx.sheet("medical_assistance", _name(ctx, u, f"{y}年医疗救助结算明细"),
                   title=("医疗救助“一站式”结算明细", "填报单位：区医疗保障局"))
    patients = [ppl.person(date(y - 85, 1, 1), date(y - 5, 12, 31))[1] for _ in range(390)]
    homes = {p: rng.choice(villages) for p in patients}
    kinds = ("marginal", "monitored", "illness_poor", "other")
    for k in range(580):
        p = patients[k % 194] if k < 290 else patients[194 + (k - 290) % 196]
        on = rand_date(rng, date(y, 1, 3), date(y, 6, 29)) if k < 290 else \
            rand_date(rng, date(y, 7, 1), date(y, 12, 28))
        kind = "inpatient" if rng.random() < 0.6 else "outpatient"
        amount = rng.randrange(80000, 320000) if kind == "inpatient" else rng.randrange(5000, 60000)
        total = amount * rng.randrange(3, 8) if rng.random() < 0.9 else None
        beneficiary = kinds[k % 4]
        if k in (7, 301):  # a 低保 beneficiary who is no covered member: a finding
            beneficiary = "dibao"
        sh.add([f"YB{y}{u:02d}{k + 1:06d}", p, homes[p].code, beneficiary, kind, on, total,
                amount])
        if k < 290:
            ctx.truth.add("medical_assist_cases_h1")
            ctx.truth.add("medical_assist_funds_h1_yuan", amount / 100)
    if ctx.faulty and u == 0:
        p = patients[0]
        sh.add([f"YB{y}{u:02d}999999", p, homes[p].code, "other", "outpatient", date(y, 3, 3),
                50000, 60000])  # amount above the total cost
        ctx.plant("medical_assistance", "invalid_amount")
    ctx.close(sh)


def _insurance(ctx, u, villages, ppl: People, rng) -> None:
    y = ctx.year
    urban = [v for v in villages if v.urban_area] or villages
    rural = [v for v in villages if not v.urban_area] or villages
    sh = ctx.sheet("insurance_subsidies", _name(ctx, u, f"{y}年资助参保名单"),
                   title=("资助特殊人群参加基本医疗保险名单", "填报单位：区医疗保障局"))
    kinds = ("dibao", "tekun", "marginal", "monitored", "illness_poor", "other")
    for area, n, pool in (("urban", 11522, urban), ("rural", 3567, rural)):
        for _ in range(n):
            _, idn, _ = ppl.person(date(y - 90, 1, 1), date(y - 1, 12, 31))
            sh.add([y, idn, rng.choice(pool).code, rng.choices(kinds, (40, 8, 20, 8, 8, 16))[0],
                    6000])
            ctx.truth.add(f"insurance_subsidy_persons_{area}")
    ctx.close(sh)
