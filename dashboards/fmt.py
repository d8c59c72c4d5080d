"""Number formats and the privacy scrub shared by every page (labels: ingest/labels.py)."""

from __future__ import annotations

import re

from dashboards.view import Row


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


# Privacy safety net for free text taken from the manifest (check details, waiver reasons,
# file paths). The pipeline promises none of these carry personal data; should one slip
# through, the page shows a mask instead.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)1\d{10}(?!\d)")
_ACCOUNT_RE = re.compile(r"(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])")
MASK = "［已隐去］"


def scrub(text: object) -> str:
    s = "" if text is None else str(text)
    for rx in (_ID_RE, _ACCOUNT_RE, _PHONE_RE):
        s = rx.sub(MASK, s)
    return s
