"""comparisons.csv of a roll-up (indicators.md §6 and §9): the roll-up publishes in a
district release's layout, so each of its rows gets its previous period's and last year's
value, from the input releases (their own comparisons.csv), never from older roll-ups.

- A child's row (a district of a city roll-up) keeps the earlier values and percentages of
  that child's own comparisons.csv; a child release without one (a v1 release) gives none.
- The whole's row (the city) of a count or sum: the earlier value is the sum of the
  children's earlier values, only when every child has the row and an earlier value for it.
  Summing fewer children would understate the city; the cell is left empty instead.
- The whole's rates, ratios and gaps: empty. comparisons.csv carries no earlier numerators or
  denominators, and a rate is never an average of rates (§9), so an earlier city rate cannot
  be recomputed from the inputs. (A reading of the contract: docs/release.md, "Roll-up".)

The whole's change_pct and yoy_pct are computed from its published values as the mart does
for a district (release/comparisons.py `change_pct`); a child's are its release's own.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from dashboards.view import Comparison, Row
from ingest.periods import parse_period
from orchestration.release.comparisons import FRAME_COLUMNS, change_pct
from orchestration.rollup.rollup_rules import SUMMED


def _summed(whole: Row, children: dict[str, dict[tuple[str, str, str], Comparison] | None],
            field: str) -> Decimal | None:
    """Σ of the children's `field` for the whole's row, or None unless every child has one."""
    total = Decimal(0)
    for code, compared in children.items():
        earlier = None if compared is None else getattr(
            compared.get((code, whole.indicator, whole.breakdown)), field, None)
        if earlier is None:
            return None
        total += earlier
    return total


def rollup_comparisons(rows: list[Row], whole: str, period: str,
                       children: dict[str, dict[tuple[str, str, str], Comparison] | None],
                       ) -> pl.DataFrame:
    """The comparison frame (release/comparisons.py FRAME_COLUMNS) of a roll-up's published
    `rows`: one row per row, in the same order. `whole`: the roll-up's own region code;
    `children`: each accepted child's comparisons keyed by (region_code, indicator,
    breakdown), None for a child release without comparisons.csv. Numbers are decimal texts
    as published (release/comparisons.py validates and writes them), None where empty; the
    periods are named on every row."""
    p = parse_period(period)
    previous_period, last_year_period = p.previous().code, p.last_year().code
    records = []
    for r in rows:
        if r.region_code == whole:
            summed = r.value_kind in SUMMED
            previous = _summed(r, children, "previous_value") if summed else None
            last_year = _summed(r, children, "last_year_value") if summed else None
            pcts = (change_pct(r.value, previous), change_pct(r.value, last_year))
        else:  # the child's own comparison, as its release published it
            own = (children.get(r.region_code) or {}).get(r.key)
            previous = own.previous_value if own else None
            last_year = own.last_year_value if own else None
            pcts = (own.change_pct, own.yoy_pct) if own else (None, None)
        records.append({
            "period": r.period, "region_code": r.region_code, "indicator": r.indicator,
            "breakdown": r.breakdown, "value": _text(r.value),
            "previous_period": previous_period, "previous_value": _text(previous),
            "change_pct": _text(pcts[0]), "last_year_period": last_year_period,
            "last_year_value": _text(last_year), "yoy_pct": _text(pcts[1]),
            "value_kind": r.value_kind,
        })
    return pl.DataFrame(records, schema=dict.fromkeys(FRAME_COLUMNS, pl.String))


def _text(d: Decimal | None) -> str | None:
    return None if d is None else format(d, "f")
