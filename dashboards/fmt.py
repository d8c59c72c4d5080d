"""Number formats and the privacy scrub shared by every page (labels: ingest/labels.py)."""

from __future__ import annotations

from dashboards.view import Row
from ingest.redact import MASK, scrub  # noqa: F401  (the pages' privacy scrub: its one home)


def month_zh(month: str, *, with_year: bool = False) -> str:
    return f"{month[:4]}年{int(month[5:])}月" if with_year else f"{int(month[5:])}月"


def fmt_count(v: float | None) -> str:
    return "—" if v is None else f"{v:,.0f}"


def fmt_2(v: float | None) -> str:
    return "—" if v is None else f"{v:,.2f}"


def fmt_value(row: Row | None) -> str:
    """A row's value with its unit: counts whole, every other kind with 2 decimals."""
    if row is None:
        return "—"
    if row.value_kind == "count":
        return f"{fmt_count(float(row.value))} {row.unit}"
    sep = "" if row.unit == "%" else " "
    return f"{fmt_2(float(row.value))}{sep}{row.unit}"
