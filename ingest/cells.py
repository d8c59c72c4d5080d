"""Escaping of data text for the files people open: spreadsheet formulas and Markdown.

The one home of the formula rule (OWASP "CSV injection"): every CSV a person may open in
Excel or WPS — the release's indicators.csv, monthly.csv, comparisons.csv and the clerks'
quarantine CSVs — passes its text cells through :func:`formula_safe`. The XLSX writer does
not need it: it writes text with ``write_string``, which a spreadsheet never evaluates.
"""

from __future__ import annotations

# A cell starting with one of these is run as a formula by Excel, WPS or LibreOffice; the
# full-width forms are turned into formulas by Chinese-locale Excel/WPS input conversion.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]|~"} | {
    "<": "&lt;", ">": "&gt;", "&": "&amp;", "\n": " ", "\r": " "})


def formula_safe(text: str) -> str:
    """`text` with a leading ``'`` when a spreadsheet would read it as a formula (it starts,
    after any spaces, with ``= + - @``, their full-width forms, a tab or a line break);
    otherwise unchanged. Only for text cells: numbers are written as they are."""
    return "'" + text if text.lstrip(" ").startswith(FORMULA_START) else text


def markdown_text(text: str) -> str:
    """`text` as literal Markdown inline text: punctuation that Markdown or a GFM table would
    read (``| * _ [ ] ` ~``) is backslash-escaped, ``< > &`` become entities and line breaks
    become spaces, so a region name can neither format the summary nor shift a table's
    columns."""
    return text.translate(_MARKDOWN)


def markdown_code(text: str) -> str:
    """`text` as one Markdown code span whatever backticks it holds (CommonMark §6.1)."""
    text = text.replace("\n", " ").replace("\r", " ")
    run = longest = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def formula_safe_column(name: str):
    """:func:`formula_safe` as a polars expression over the string column `name` (the
    quarantine CSVs); nulls stay null."""
    import re

    import polars as pl

    starts = "^ *(?:" + "|".join(re.escape(c) for c in FORMULA_START) + ")"
    col = pl.col(name)
    return pl.when(col.str.contains(starts)).then(pl.lit("'") + col).otherwise(col).alias(name)
