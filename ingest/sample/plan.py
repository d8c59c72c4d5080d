"""Scale parameters and the per-unit plan: how many 低保 households each township starts
with, and in which township-month each join/exit/提标/降标 event falls.

Calibration (one unit = the district scale), after the real half-year summary: H1 urban
新增81户、取消320户、提标914户、降标74户; rural 新增237户、取消23户; H1 household-months
urban ~43 072, rural ~10 536.
"""

from __future__ import annotations

import random

# scale -> (units of ten townships, population factor, xlsx share of monthly rosters,
#           xlsx share of other files)
SCALES = {
    "district": (1, 1.0, 0.12, 0.3),
    "city": (16, 1.04, 0.05, 0.2),
    "province": (99, 1.27, 0.01, 0.05),
}
START = {"urban": 7319, "rural": 1631}  # households in December of year-1, per unit
# per half-year (H1, H2) event totals per unit
EVENTS = {
    ("urban", "new"): (81, 92), ("urban", "exit"): (320, 266),
    ("urban", "raise"): (914, 860), ("urban", "lower"): (74, 81),
    ("rural", "new"): (237, 160), ("rural", "exit"): (23, 70),
    ("rural", "raise"): (252, 240), ("rural", "lower"): (30, 35),
}
PER_UNIT = {"tekun": 1000, "lowincome": 3300, "temp": 2400, "veterans": 2500,
            "soldiers": 100, "dual": 3}


def split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Draw ``total`` items into cells with the given weights."""
    out = [0] * len(weights)
    if total <= 0 or not any(weights):
        return out
    cum, s = [], 0.0
    for w in weights:
        s += w
        cum.append(s)
    for i in rng.choices(range(len(weights)), cum_weights=cum, k=total):
        out[i] += 1
    return out


def plan_unit(seed: int, unit_index: int, towns, factor: float) -> list[dict]:
    """One plan dict per township of the unit (see dibao.simulate)."""
    rng = random.Random(f"{seed}:plan:{unit_index}")
    noise = {p: [rng.lognormvariate(0, 0.25) for _ in towns] for p in START}
    w = {
        "urban": [(t.pop(True) + 0.04 * t.pop(False)) * n for t, n in zip(towns, noise["urban"],
                                                                          strict=True)],
        "rural": [t.pop(False) * n for t, n in zip(towns, noise["rural"], strict=True)],
    }
    plans = [dict() for _ in towns]
    for p in START:
        for plan, n in zip(plans, split_exact(round(START[p] * factor), w[p]), strict=True):
            plan[(p, "start")] = n
    for (p, ev), halves in EVENTS.items():
        for plan in plans:
            plan[(p, ev)] = [0] * 13
        for h, total in enumerate(halves):
            months = range(1 + 6 * h, 7 + 6 * h)
            cells = [(i, m) for i in range(len(towns)) for m in months]
            weights = [plans[i][(p, "start")] for i, _ in cells]
            for (i, m), n in zip(cells, split(rng, round(total * factor), weights), strict=True):
                plans[i][(p, ev)][m] = n
    pops = [t.pop() for t in towns]
    for key, per_unit in PER_UNIT.items():
        for plan, n in zip(plans, split_exact(round(per_unit * factor), pops), strict=True):
            plan[key] = n
    return plans


def split_exact(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to weights summing exactly to total (largest remainder)."""
    s = sum(weights) or 1.0
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out
