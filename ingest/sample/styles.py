"""How a township clerk happens to write a file: format, encoding, header names, value forms.

Every option of every attribute occurs in every source with enough files: per source and
format, the first picks of an attribute walk through all of its options (in a seeded order);
later picks are seeded random choices.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields, replace

OPTIONS = {
    "encoding": ("utf-8", "utf-8-sig", "gb18030"),
    "header": ("zh", "zh", "zh", "zh", "en", "alias", "spaced"),
    "month": ("iso", "slash", "compact", "zh"),
    "date": ("iso", "slash", "zh"),
    "datetime": ("iso", "space", "slash", "zh"),
    "money": ("num", "num", "text", "yuan"),
    "count": ("num", "num", "num", "unit"),
    "code": ("zh", "zh", "zh", "en"),
    "title": (True, True, False),
    "total": (True, True, False),
    "signature": (True, False),
    "seq_col": (False, True),
    "remark_col": (False, False, True),
    "second_sheet": (False, False, True),
    "blank_before_total": (False, False, False, True),
    "crlf": (True, False),
}
# Excel-only forms: a date cell for months, dates and datetimes.
XLSX_EXTRA = {"month": ("excel",), "date": ("excel",), "datetime": ("excel",)}


@dataclass(frozen=True)
class FileStyle:
    fmt: str = "csv"  # xlsx | csv
    encoding: str = "utf-8"
    header: str = "zh"
    month: str = "iso"
    date: str = "iso"
    datetime: str = "space"
    money: str = "num"
    count: str = "num"
    code: str = "zh"
    title: bool = False
    total: bool = False
    signature: bool = False
    seq_col: bool = False
    remark_col: bool = False
    second_sheet: bool = False
    blank_before_total: bool = False
    crlf: bool = True


class Styler:
    def __init__(self, seed: int):
        self.rng = random.Random(f"{seed}:styles")
        self.queues: dict[tuple[str, str, str], list] = {}
        self.seen: set[str] = set()

    def _pick(self, source: str, fmt: str, attr: str):
        opts = OPTIONS[attr] + (XLSX_EXTRA.get(attr, ()) if fmt == "xlsx" else ())
        q = self.queues.get((source, fmt, attr))
        if q is None:
            q = sorted(set(opts) - {"excel"}, key=str)
            self.rng.shuffle(q)
            q += ["excel"] * ("excel" in opts)  # popped first: Excel date cells
            self.queues[(source, fmt, attr)] = q
        if q:
            return q.pop()
        return self.rng.choice(opts)

    def pick(self, source: str, xlsx_share: float, **force) -> FileStyle:
        draw = self.rng.random()  # drawn even when forced: the same stream either way
        fmt = force.pop("fmt", None)
        if fmt is None:
            fmt = "xlsx" if draw < xlsx_share else "csv"
            if source not in self.seen and xlsx_share >= 0.05:
                fmt = "xlsx"  # every source's first file is a workbook
        self.seen.add(source)
        values = {f.name: self._pick(source, fmt, f.name)
                  for f in fields(FileStyle) if f.name != "fmt"}
        return replace(FileStyle(fmt=fmt, **values), **force)
