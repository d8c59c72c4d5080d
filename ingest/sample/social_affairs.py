"""The social-affairs registers of the sample district (data contract v2, issue 13): marriage
registrations, deaths, cremations, burial enforcement, social organisations and their
inspections, vagrant assistance and the village committees, for the whole year.

Magnitudes per half-year, after the seeds (reference half-year summaries, 第5篇 and 第6篇):
结婚5009对 of which 补领1560对, 协议离婚1203对 (补离80对), 无婚姻登记记录证明2450件;
死亡1953人, 火化870具 (火化率44%); 97 social groups inspected; 返乡22人; and 第2篇: every
village and community has a committee, re-elected in the first months of the year.
With ``--faults some`` one row of each new reason code is planted (and counted in
``_planted.json``): invalid_age, invalid_credit_code, unknown_org, invalid_date (a
cremation before the death, a vagrant leaving before arriving) and invalid_count.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ingest.sample.geography import DISTRICT_CODE
from ingest.sample.people import People, rand_date
from ingest.values import CREDIT_ALPHABET

HALF = {"marriage": 3449, "reissue_marriage": 1480, "reissue_divorce": 80, "divorce": 1123,
        "divorce_application": 1250, "divorce_withdrawn": 90, "record_certificate": 2450}
DEATHS_HALF, CREMATED_SHARE = 1953, 0.44
PARTIES = (("domestic", 970), ("foreign", 15), ("hmt", 10), ("overseas", 5))
ORG_TYPES = (("association", "51", 100), ("private_non_enterprise", "52", 45),
             ("foundation", "53", 5))
CONCLUSIONS = (("pass", 85), ("basic_pass", 7), ("fail", 3), ("absent", 5))


def credit_code(body17: str) -> str:
    """A unified social credit code with its GB 32100 check character."""
    total = sum(CREDIT_ALPHABET.index(ch) * pow(3, i, 31) for i, ch in enumerate(body17))
    return body17 + CREDIT_ALPHABET[(31 - total % 31) % 31]


def generate(ctx, towns) -> None:
    """Write the eight social-affairs sources of the district for ``ctx.year``."""
    rng = random.Random(f"{ctx.seed}:social_affairs")
    ppl = People(rng, "990102")
    villages = [v for t in towns for v in t.villages]
    _marriages(ctx, rng, ppl)
    dead = _deaths(ctx, rng, ppl, villages)
    _cremations(ctx, rng, ppl, villages, dead)
    _enforcement(ctx, rng, villages)
    codes = _organisations(ctx, rng, towns)
    _inspections(ctx, rng, codes)
    _vagrants(ctx, rng, ppl, towns)
    _committees(ctx, rng, villages)


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], [p[-1] for p in pairs])[0]


def _in_year(ctx, rng, lo_month=1, hi=None) -> date:
    y = ctx.year
    return rand_date(rng, date(y, lo_month, 1), hi or date(y, 12, 31))


def _marriages(ctx, rng, ppl) -> None:
    y = ctx.year
    sh = ctx.sheet("marriage_registrations", f"{y}年婚姻登记业务明细",
                   title=(f"{y}年婚姻登记业务明细", "填报单位：区民政局婚姻登记处"))
    k = 0
    for business, per_half in HALF.items():
        for _ in range(per_half * 2):
            k += 1
            done = _in_year(ctx, rng)
            party = _weighted(rng, PARTIES) if business in ("marriage", "divorce") \
                else "domestic"
            man = woman = man_prior = woman_prior = review = None
            if business in ("marriage", "divorce"):
                man_age, woman_age = rng.randint(22, 45), rng.randint(20, 40)
                man = ppl.person(date(done.year - man_age - 1, done.month, 1) + timedelta(1),
                                 date(done.year - man_age, done.month, 1), True)[1]
                woman = ppl.person(date(done.year - woman_age - 1, done.month, 1)
                                   + timedelta(1), date(done.year - woman_age, done.month, 1),
                                   False)[1]
                if party != "domestic":
                    man = f"E{rng.randrange(10**7, 10**8)}" if rng.random() < 0.5 else man
                review = "pass"
            if business == "marriage" and rng.random() < 0.8:
                man_prior = rng.choices(("never_married", "divorced", "widowed"), (83, 15, 2))[0]
                woman_prior = rng.choices(("never_married", "divorced", "widowed"),
                                          (85, 13, 2))[0]
            sh.add([f"HY{y}{k:06d}", business, done, DISTRICT_CODE, party, man, woman,
                    man_prior, woman_prior, review])
    if ctx.faulty:  # a man aged 21 years 364 days on done_on: invalid_age
        done = date(y, 6, 1)
        born = date(y - 22, 6, 2)
        sh.add([f"HY{y}999999", "marriage", done, DISTRICT_CODE, "domestic",
                ppl.id_number(born, True), ppl.person(date(y - 30, 1, 1), date(y - 25, 1, 1),
                                                      False)[1], None, None, "pass"])
        ctx.plant("marriage_registrations", "invalid_age")
    ctx.close(sh)


def _deaths(ctx, rng, ppl, villages) -> list[tuple]:
    y = ctx.year
    weights = [v.registered or 1 for v in villages]
    sh = ctx.sheet("deaths", f"{y}年死亡人口信息", title=(f"{y}年死亡人口信息（公安户籍注销）",))
    dead = []
    for _ in range(DEATHS_HALF * 2):
        v = rng.choices(villages, weights)[0]
        name, idn, _born = ppl.person(date(y - 98, 1, 1), date(y - 45, 12, 31))
        died = _in_year(ctx, rng)
        sh.add([name, idn, v.code, died, rng.choices(("police", "health", "other"),
                                                      (80, 18, 2))[0]])
        dead.append((idn, v, died))
    ctx.close(sh)
    return dead


def _cremations(ctx, rng, ppl, villages, dead) -> None:
    y = ctx.year
    sh = ctx.sheet("cremations", f"{y}年遗体火化登记", title=(f"{y}年遗体火化登记",))
    k = 0

    def add(idn, code, died, cremated, waiver):
        nonlocal k
        k += 1
        sh.add([f"HH{y}{k:05d}", idn, code, died, cremated, waiver])

    for idn, v, died in dead:
        if rng.random() < CREMATED_SHARE:
            cremated = min(died + timedelta(rng.randint(1, 5)), date(y, 12, 31))
            add(idn, v.code, died, cremated, rng.choice((100000, 150000, 200000))
                if rng.random() < 0.6 else None)
    for _ in range(60):  # from outside the district, and 无名遗体
        died = _in_year(ctx, rng, hi=date(y, 12, 28))
        idn = None if rng.random() < 0.2 else ppl.person(date(y - 90, 1, 1),
                                                         date(y - 40, 1, 1))[1]
        add(idn, None, died, died + timedelta(rng.randint(1, 3)), None)
    for _ in range(6):  # local, but no death record yet: cremated_without_death_record
        died = _in_year(ctx, rng, hi=date(y, 12, 28))
        add(ppl.person(date(y - 90, 1, 1), date(y - 50, 1, 1))[1], rng.choice(villages).code,
            died, died + timedelta(2), None)
    if ctx.faulty:  # cremated the day before the death: invalid_date
        died = date(y, 5, 10)
        add(ppl.person(date(y - 90, 1, 1), date(y - 50, 1, 1))[1], villages[0].code, died,
            died - timedelta(1), None)
        ctx.plant("cremations", "invalid_date")
    ctx.close(sh)


def _enforcement(ctx, rng, villages) -> None:
    y = ctx.year
    rural = [v for v in villages if not v.urban_area] or villages
    sh = ctx.sheet("burial_enforcement", f"{y}年殡葬违规处置记录")
    k = 0
    for _half in range(2):
        for violation, n in (("illegal_burial", 55), ("illegal_hall", 28),
                             ("scattered_burial", 6), ("other", 3)):
            for _ in range(n):
                k += 1
                if violation == "illegal_burial":
                    action = rng.choices(("fined", "exhumed_cremated", "persuaded", "pending"),
                                         (60, 31, 7, 2))[0]
                elif violation == "illegal_hall":
                    action = rng.choice(("persuaded", "confiscated"))
                else:
                    action = "persuaded"
                fine = rng.choice((200000, 500000)) if action == "fined" else None
                sh.add([f"BZ{y}{k:04d}", rng.choice(rural).code,
                        _in_year(ctx, rng, 1 + 6 * _half, date(y, 6 + 6 * _half, 30)),
                        violation, action, fine])
    ctx.close(sh)


def _organisations(ctx, rng, towns) -> list[tuple]:
    y = ctx.year
    sh = ctx.sheet("social_organizations", f"{y}年社会组织登记台账")
    orgs, k = [], 0
    for org_type, prefix, n in ORG_TYPES:
        for _ in range(n):
            k += 1
            body = prefix + DISTRICT_CODE[:6] + "MJ" + f"{rng.randrange(10**7):07d}"
            code = credit_code(body)
            registered = rand_date(rng, date(1995, 1, 1), date(y - 1, 12, 31))
            if k <= 4:  # 新登记 in the first half of the year
                registered = rand_date(rng, date(y, 1, 5), date(y, 6, 25))
            ended = rand_date(rng, registered + timedelta(30), date(y, 12, 31)) \
                if rng.random() < 0.04 and registered < date(y, 11, 1) else None
            charity = org_type == "foundation" or rng.random() < 0.05
            region = DISTRICT_CODE if rng.random() < 0.3 else rng.choice(towns).code
            sh.add([code, f"区{k:03d}号{ {'association': '协会'}.get(org_type, '服务中心') }",
                    org_type, charity, registered, ended, region, None, None])
            orgs.append((code, registered, ended, charity))
    if ctx.faulty:  # a wrong check character: invalid_credit_code
        good = credit_code(f"51{DISTRICT_CODE[:6]}MJ9999999")
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        sh.add([bad, "区校验码错误协会", "association", False, date(2010, 1, 1), None,
                DISTRICT_CODE, None, None])
        ctx.plant("social_organizations", "invalid_credit_code")
    ctx.close(sh)
    return orgs


def _inspections(ctx, rng, orgs) -> None:
    y = ctx.year
    sh = ctx.sheet("social_org_inspections", f"{y - 1}年度社会组织年检结果")
    for code, registered, ended, charity in orgs:
        if registered > date(y - 1, 12, 31) or (ended and ended <= date(y - 1, 12, 31)):
            continue
        conclusion = "reported" if charity else _weighted(rng, CONCLUSIONS)
        sh.add([code, y - 1, conclusion, rand_date(rng, date(y, 3, 1), date(y, 6, 30))])
    if ctx.faulty:  # an organisation not in the register: unknown_org
        sh.add([credit_code(f"51{DISTRICT_CODE[:6]}MJ8888888"), y - 1, "pass", date(y, 4, 1)])
        ctx.plant("social_org_inspections", "unknown_org")
    ctx.close(sh)


def _vagrants(ctx, rng, ppl, towns) -> None:
    y = ctx.year
    sh = ctx.sheet("vagrant_assistance", f"{y}年流浪乞讨人员救助登记")
    k = 0
    for _half in range(2):  # 60 cases a half-year, about 22 of them returned home
        for _ in range(60):
            k += 1
            start = _in_year(ctx, rng, 1 + 6 * _half, date(y, 6 + 6 * _half, 28))
            idn = ppl.person(date(y - 80, 1, 1), date(y - 12, 1, 1))[1] \
                if rng.random() < 0.6 else None
            outcome = rng.choices(("ticket_home", "escorted_home", "left", "family_found",
                                   "referred", "other"), (15, 7, 24, 6, 5, 3))[0]
            group = rng.choices((None, "disabled", "mental", "other"), (80, 6, 8, 6))[0]
            sh.add([f"JZ{y}{k:04d}", idn, rng.choice(towns).code, start,
                    start + timedelta(rng.randint(0, 9)),
                    rng.choice(("in_station", "outreach")), outcome, group,
                    rng.choice((5000, 10000, 20000, None))])
    if ctx.faulty:  # left the station before arriving: invalid_date
        sh.add([f"JZ{y}9999", None, towns[0].code, date(y, 3, 10), date(y, 3, 9),
                "in_station", "left", None, None])
        ctx.plant("vagrant_assistance", "invalid_date")
    ctx.close(sh)


def _committees(ctx, rng, villages) -> None:
    y = ctx.year
    sh = ctx.sheet("community_committees", f"{y}年村(居)民委员会基本情况")
    for v in villages:
        members = rng.randint(5, 9)
        elected = rand_date(rng, date(y, 1, 5), date(y, 4, 30)) if rng.random() < 0.95 \
            else rand_date(rng, date(y - 3, 3, 1), date(y - 3, 6, 30))
        row = [v.code, 9, elected, rng.random() < 0.01, members,
               min(members, round(members * rng.uniform(0.2, 0.5))), rng.random() < 0.98]
        if ctx.faulty and v is villages[0]:  # more women than members: invalid_count
            row[5] = members + 1
            ctx.plant("community_committees", "invalid_count")
        sh.add(row)
    ctx.close(sh)
