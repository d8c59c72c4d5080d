"""An independent, minimal reader of the generated inbox, written for the tests from the
data contract (not from the generator's code)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

import openpyxl

from ingest.contract import SOURCES

FOOTERS = ("制表人", "审核人", "填报日期", "负责人", "备注：")
TOTALS = ("合计", "总计", "小计")


def norm(h) -> str:
    return "" if h is None else str(h).strip().replace("(", "（").replace(")", "）")


def raw_rows(path: Path) -> tuple[list[list], str]:
    """All rows of the first sheet / the csv, and the encoding ('xlsx' for workbooks)."""
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
        return rows, "xlsx"
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        enc = "utf-8-sig"
    else:
        try:
            data.decode("utf-8")
            enc = "utf-8"
        except UnicodeDecodeError:
            enc = "gb18030"
    return list(csv.reader(io.StringIO(data.decode(enc)))), enc


class Table:
    def __init__(self, path: Path, source: str):
        self.path = path
        src = SOURCES[source]
        rows, self.encoding = raw_rows(path)
        names = {c.name: {norm(h) for h in c.headers} for c in src.columns}
        required = [c.name for c in src.required_columns]
        self.header_row = None
        for i, row in enumerate(rows):
            cells = {norm(v) for v in row}
            if sum(1 for c in required if names[c] & cells) * 2 >= len(required):
                self.header_row = i
                break
        assert self.header_row is not None, f"{path}: no header row"
        self.columns = {}  # contract name -> position
        for j, v in enumerate(rows[self.header_row]):
            for c, hs in names.items():
                if norm(v) in hs:
                    self.columns[c] = j
        self.rows: list[dict] = []
        self.total: dict | None = None
        for row in rows[self.header_row + 1:]:
            first = next((norm(v) for v in row if norm(v) != ""), None)
            if first is None:
                continue
            if first.startswith(FOOTERS):
                break
            rec = {c: (row[j] if j < len(row) else None) for c, j in self.columns.items()}
            if first.startswith(TOTALS):
                self.total = rec
            else:
                self.rows.append(rec)


def num(v) -> float:
    if isinstance(v, int | float):
        return float(v)
    s = str(v).replace(",", "").replace("元", "").replace("人", "").strip()
    return float(s)


def month(v) -> tuple[int, int]:
    if isinstance(v, datetime | date):
        return v.year, v.month
    s = str(v).strip()
    for pat in (r"(\d{4})-(\d{2})", r"(\d{4})/(\d{2})", r"(\d{4})(\d{2})", r"(\d{4})年(\d{1,2})月"):
        m = re.fullmatch(pat, s)
        if m:
            return int(m[1]), int(m[2])
    raise ValueError(f"not a month: {v!r}")


def tables(inbox: Path, source: str, skip=frozenset()) -> list[Table]:
    return [Table(p, source) for p in sorted((inbox / source).iterdir())
            if f"{source}/{p.name}" not in skip]


def upgrade(idn: str) -> str:
    """18-character form of an ID number (15-digit legacy numbers get 19 and a check digit)."""
    idn = str(idn).upper()
    if len(idn) == 15:
        body = idn[:6] + "19" + idn[6:]
        return body + check_char(body)
    return idn


WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_char(body17: str) -> str:
    c = (12 - sum(int(d) * w for d, w in zip(body17, WEIGHTS, strict=True)) % 11) % 11
    return "X" if c == 10 else str(c)


def valid_id(idn) -> bool:
    s = str(idn)
    if len(s) != 18 or not s[:17].isdigit():
        return False
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    return born <= date.today() and check_char(s[:17]) == s[17].upper()
