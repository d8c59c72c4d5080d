"""Stage 1, across columns of one row: the engine of the sources' row rules.

A rule names the column it is charged to, a condition on parsed values (true = broken), the
reason and the detail. It only fires where that column has no error of its own yet. Each
source declares its rules in ``ingest/sources/<source>.py`` (``Source.row_rules``).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Rule:
    column: str
    broken: pl.Expr
    reason: str
    detail: pl.Expr


def lit(zh: str, en: str) -> pl.Expr:
    """The detail text ``<Chinese> / <English>``."""
    return pl.lit(f"{zh} / {en}")


def text(name: str) -> pl.Expr:
    """Column ``name`` as text, for a detail."""
    return pl.col(name).cast(pl.String)


def at_most(small: str, big: str, reason: str, zh: str) -> Rule:
    """``small`` must not exceed ``big`` (both parsed numbers of the row)."""
    return Rule(small, pl.col(small) > pl.col(big), reason,
                lit(zh, f"{small} exceeds {big}") + pl.lit(": ") + text(small) + pl.lit(" > ")
                + text(big))


def cross_rules(source, catalogue: dict[str, tuple[str, ...]]) -> list[Rule]:
    """The row rules ``source`` (an ingest.contract.Source) declares, given the catalogue."""
    return source.row_rules(catalogue) if source.row_rules else []


def apply(frame: pl.DataFrame, source, catalogue: dict[str, tuple[str, ...]]) -> pl.DataFrame:
    """Charge each broken row rule to its column's ``_r_<col>``/``_d_<col>`` where that column
    has no error yet, in the order the source declares them."""
    for rule in cross_rules(source, catalogue):
        r, d = pl.col(f"_r_{rule.column}"), pl.col(f"_d_{rule.column}")
        fire = r.is_null() & rule.broken.fill_null(False)
        frame = frame.with_columns(
            pl.when(fire).then(pl.lit(rule.reason)).otherwise(r).alias(f"_r_{rule.column}"),
            pl.when(fire).then(rule.detail).otherwise(d).alias(f"_d_{rule.column}"),
        )
    return frame
