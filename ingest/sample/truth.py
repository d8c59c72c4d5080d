"""Headline figures, counted from the rows the generator writes (planted bad rows excluded),
by the definitions of indicators.md. Month index 0 = December of year-1; H1 = 1..6."""

from __future__ import annotations

from collections import Counter

H1 = range(1, 7)
PROGRAMS = ("urban", "rural")


class Truth:
    def __init__(self):
        # dibao[m][program] = Counter(households, persons, cents, new_h, new_p, exit_h, ...)
        self.dibao = [{p: Counter() for p in PROGRAMS} for _ in range(13)]
        self.c: Counter = Counter()
        self.pop = Counter()

    def dibao_month(self, m: int, households, prev: dict | None) -> dict:
        """Count month m of one township's roster; returns the state to pass as ``prev``."""
        cur = {}
        d = self.dibao[m]
        for h in households:
            amt = h.amount()
            cur[h.hid] = (h.program, h.covered, amt)
            c = d[h.program]
            c["households"] += 1
            c["persons"] += h.covered
            c["cents"] += amt
            if h.income > h.std:
                c["ineligible"] += 1
            if prev is None:
                continue
            old = prev.get(h.hid)
            if old is None:
                c["new_households"] += 1
                c["new_persons"] += h.covered
            elif amt > old[2]:
                c["raised_households"] += 1
            elif amt < old[2]:
                c["lowered_households"] += 1
        if prev is not None:
            for hid, (program, covered, _) in prev.items():
                if hid not in cur:
                    d[program]["exited_households"] += 1
                    d[program]["exited_persons"] += covered
        return cur

    def add(self, key: str, n=1) -> None:
        self.c[key] += n

    def report(self, std: dict) -> dict:
        out: dict = {"population": {
            "resident_total": self.pop["urban"] + self.pop["rural"],
            "urban_areas": self.pop["urban"], "rural_areas": self.pop["rural"]}}
        dib = {}
        for p in (*PROGRAMS, "total"):
            progs = PROGRAMS if p == "total" else (p,)

            def s(key, months, progs=progs):
                return sum(self.dibao[m][q][key] for m in months for q in progs)

            hm, pm, cents = s("households", H1), s("persons", H1), s("cents", H1)
            den = out["population"]["resident_total" if p == "total" else f"{p}_areas"]
            persons_end = s("persons", [6])
            dib[p] = {
                "household_months_h1": hm, "person_months_h1": pm,
                "funds_h1_yuan": cents / 100, "funds_h1_10k_yuan": round(cents / 1e6, 2),
                "avg_subsidy_h1_yuan": round(cents / 100 / pm, 2) if pm else None,
                "households_end_june": s("households", [6]), "persons_end_june": persons_end,
                "coverage_rate_june_pct": round(100 * persons_end / den, 2) if den else None,
                "households_dec_prev_year": s("households", [0]),
                "households_end_dec": s("households", [12]),
                "persons_end_dec": s("persons", [12]),
            }
            for k in ("new_households", "new_persons", "exited_households", "exited_persons",
                      "raised_households", "lowered_households"):
                dib[p][f"{k}_h1"] = s(k, H1)
            dib[p]["ineligible_households_june"] = s("ineligible", [6])
        out["dibao"] = dib
        out["dibao_standard"] = {k: v / 100 for k, v in std.items()}
        out["other"] = {k: (round(v, 2) if isinstance(v, float) else v)
                        for k, v in sorted(self.c.items())}
        return out
