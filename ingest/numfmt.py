"""Excel number formats that show a number as a percentage, and the text such a cell shows.

A clerk who types ``95%`` into Excel stores the number 0.95 in a cell formatted as a
percentage; calamine gives the number, 0.95, and the text ``95%`` is what the clerk saw and
meant. Read as 0.95, a target of 95 % made its completion rate 100 times too large
(docs/data-contract.md "Values"). So a number cell whose format is a percentage is read as the
text the format shows: its value × 100 followed by ``%``, which a column that accepts the unit
``%`` reads as that number and any other numeric column refuses, naming it.

The formats: the built-in ids 9 (``0%``) and 10 (``0.00%``) (ECMA-376 Part 1 §18.8.30, the
same ids in BIFF8), and any format code whose first section (the one for positive numbers)
holds a ``%`` that is not quoted (``"%"``), escaped (``\\%``, ``!%``), inside brackets
(``[Red]``) or the argument of ``_`` or ``*`` — the ones that multiply by 100 (ECMA-376
§18.8.31). Only the first section is read: a format showing % for negative numbers alone, or
choosing its section by a condition (``[<0.5]0%;0.0``), is read by its first section; no
register keeps such a format for a value that must be positive.
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

BUILTIN_PERCENT = frozenset({9, 10})


def is_percent(code: str) -> bool:
    """Whether a number format code's first section shows a number × 100 with ``%``."""
    i, n = 0, len(code)
    while i < n:
        ch = code[i]
        if ch == ";":
            return False
        if ch == '"':
            end = code.find('"', i + 1)
            i = n if end < 0 else end + 1
            continue
        if ch == "[":
            end = code.find("]", i + 1)
            i = n if end < 0 else end + 1
            continue
        if ch in "\\!_*":  # an escaped character (\\ or !), a space's width, a fill
            i += 2
            continue
        if ch == "%":
            return True
        i += 1
    return False


def percent_of(fmt_id: int, codes: dict[int, str]) -> bool:
    """Whether format ``fmt_id`` is a percentage; ``codes`` are the file's own format codes
    (they override a built-in id)."""
    code = codes.get(fmt_id)
    return is_percent(code) if code is not None else fmt_id in BUILTIN_PERCENT


@functools.lru_cache(maxsize=65536)  # a column of percentages repeats its values
def shown_percent(text: str | None) -> str | None:
    """The text a percentage format shows for a number cell calamine gave as ``text``:
    ``"0.95"`` -> ``"95%"``, ``"0.125"`` -> ``"12.5%"``, ``"-0"`` -> ``"0%"`` (every digit
    kept, the point moved two places: no format rounding, no arithmetic). Anything that is
    not a finite number is given back unchanged."""
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return text
    if not value.is_finite():
        return text
    if value.is_zero():
        return "0%"
    sign, digits, exponent = value.as_tuple()
    shown = format(Decimal((sign, digits, exponent + 2)), "f")
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return shown + "%"
