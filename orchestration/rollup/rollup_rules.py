"""How each indicator re-aggregates from the regions below (indicators.md §9): the one home.

`value_kind` from the indicator catalogue decides: count and sum are summed (published
values); rate and ratio are Σ numerator ÷ Σ denominator (× 100 where the unit is %), never an
average of rates. The exceptions are keyed by indicator here:

- PER_REGION_ONLY: a region's own figure that has no meaning summed (its standard, its
  standard ratio, its targets) — published on each child's rows, no row for the whole;
- DERIVED: gaps recomputed from the recomputed rates of the whole, not summed.
A kind with no rule (difference, standard) and no exception is not aggregated, and said so
in the manifest.
"""

from __future__ import annotations

from pathlib import Path

PER_REGION_ONLY = {
    "dibao_standard": "各区县自定的低保标准 a district's own standard",
    "gap_standard_ratio": "各区县标准之比 the ratio of a district's own standards",
    "target_completion_rate": "各区县自己的目标 a district's own targets",
}
# indicator -> (operation, (indicator, breakdown) a, (indicator, breakdown) b): a − b or a ÷ b
DERIVED = {
    "gap_coverage_pp": ("minus", ("dibao_coverage_rate", "urban"), ("dibao_coverage_rate", "rural")),
    "gap_subsidy_ratio": ("over", ("dibao_avg_subsidy", "urban"), ("dibao_avg_subsidy", "rural")),
}
SUMMED = ("count", "sum")
RECOMPUTED = ("rate", "ratio")  # Σ numerator ÷ Σ denominator × view.multiplier(unit)


def catalogue_kinds(path: Path | None = None) -> dict[str, str]:
    """indicator -> value_kind of the catalogue seed."""
    from ingest.catalogue import catalogue_rows

    return {r["indicator"]: r["value_kind"] for r in catalogue_rows(path)}
