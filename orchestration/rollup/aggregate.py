"""The rows of a roll-up: the whole (city or province) recomputed from its children's rows,
and each child's own rows as published (rollup_rules.py says which indicator goes how)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from dashboards.view import Row, multiplier
from orchestration.rollup.rollup_rules import DERIVED, PER_REGION_ONLY, RECOMPUTED, SUMMED

_PLACES = Decimal("1e-10")  # numerators/denominators of derived gaps: enough, not endless


def _record(row: Row, **change) -> dict:
    rec = {k: getattr(row, k) for k in ("period", "region_code", "region_name", "region_level",
                                        "indicator", "indicator_name", "domain", "breakdown",
                                        "value", "unit", "value_kind", "numerator", "denominator")}
    return rec | change


def aggregate(children: dict[str, list[Row]], whole: tuple[str, str, str],
              kinds: dict[str, str]) -> tuple[list[dict], dict]:
    """(rows, notes). `children`: region_code -> that child's own rows (its level only);
    `whole`: (region_code, region_name, level). Rows have the columns of
    orchestration.release.rows.COLUMNS: the whole's recomputed rows, then every child row.

    notes: {"not_aggregated": {indicator: why}, "partial": {"ind/breakdown": [children
    without a row]}, "not_summed": the partial counts and sums, which get no row of the
    whole} for the manifest. A rate some child has no row for is recomputed over the others
    (a rate with a zero denominator has no row: it adds nothing)."""
    code, name, level = whole
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for rows in children.values():
        for r in rows:
            groups[(r.indicator, r.breakdown)].append(r)
    out, exact = [], {}
    not_aggregated = {k: v for k, v in PER_REGION_ONLY.items()
                      if any(ind == k for ind, _ in groups)}
    partial, not_summed = {}, {}
    for (ind, bd), rows in sorted(groups.items()):
        if ind in PER_REGION_ONLY or ind in DERIVED:
            continue
        kind = kinds.get(ind, rows[0].value_kind)
        missing = sorted(set(children) - {r.region_code for r in rows})
        if missing:
            partial[f"{ind}/{bd}"] = missing
            if kind in SUMMED:
                # a count or sum is published for every region, 0 when nothing counts
                # (indicators.md §1): a child without the row does not report it (a release
                # of the v1 contract), and a sum without it is no figure of the whole
                not_summed[f"{ind}/{bd}"] = missing
                continue
        if kind in SUMMED:
            value, num, den = sum((r.value for r in rows), Decimal(0)), None, None
        elif kind in RECOMPUTED:
            if any(r.numerator is None or r.denominator is None for r in rows):
                not_aggregated[ind] = "缺分子或分母 a child row without numerator/denominator"
                continue
            num = sum((r.numerator for r in rows), Decimal(0))
            den = sum((r.denominator for r in rows), Decimal(0))
            if den == 0:
                continue  # a rate with a zero denominator has no row (indicators.md §1)
            value = num / den * multiplier(rows[0].unit)
        else:
            not_aggregated[ind] = f"{kind} 没有汇总规则 no aggregation rule for this kind"
            continue
        exact[(ind, bd)] = value
        out.append(_record(rows[0], region_code=code, region_name=name, region_level=level,
                           value=value, value_kind=kind, numerator=num, denominator=den))
    for ind, (op, a, b) in DERIVED.items():
        sample = next((rows[0] for (i, _), rows in groups.items() if i == ind), None)
        if sample is None or a not in exact or b not in exact:
            continue
        x, y = exact[a], exact[b]
        if op == "minus":
            value, num, den = x - y, None, None
        elif y != 0:
            value, num, den = x / y, x.quantize(_PLACES), y.quantize(_PLACES)
        else:
            continue
        out.append(_record(sample, region_code=code, region_name=name, region_level=level,
                           breakdown="total", value=value, numerator=num, denominator=den))
    for region in sorted(children):
        out.extend(_record(r) for r in children[region])
    return out, {"not_aggregated": not_aggregated, "partial": partial, "not_summed": not_summed}
