"""An independent, minimal reader of the generated inbox, written for the tests from the
data contract (not from the generator's code)."""

from __future__ import annotations

import csv
import io
import re
import sys
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.utils import range_boundaries

from ingest.contract import SOURCES

FOOTERS = ("制表人", "审核人", "填报日期", "负责人", "备注：")
TOTALS = ("合计", "总计", "小计")


def norm(h) -> str:
    return "" if h is None else str(h).strip().replace("(", "（").replace(")", "）")


def raw_rows(path: Path) -> tuple[list[list], str]:
    """All rows of the first sheet / the csv, and the encoding ('xlsx' for workbooks)."""
    sheets, enc = read_sheets(path)
    return sheets[0], enc


def read_sheets(path: Path) -> tuple[list[list[list]], str]:
    """Rows of every visible sheet (merged ranges filled), and the encoding or format."""
    data = path.read_bytes()
    if path.suffix == ".xlsx":
        return _xlsx(path, data), "xlsx"
    if path.suffix == ".xls":
        if data.lstrip()[:1] == b"<":
            return [_html(data.decode("utf-8"))], "html"
        return _biff(data), "xls"
    if data.startswith(b"\xef\xbb\xbf"):
        enc = "utf-8-sig"
    else:
        try:
            data.decode("utf-8")
            enc = "utf-8"
        except UnicodeDecodeError:
            enc = "gb18030"
    # one physical line is one row (the generator writes no multi-line field; a stray quote
    # must not swallow the lines after it)
    lines = data.decode(enc).replace("\r\n", "\n").split("\n")
    return [[(Malformed if ln.count('"') % 2 else list)(next(csv.reader([ln]), []))
             for ln in lines if ln != ""]], enc


class Malformed(list):
    """A CSV line with an unbalanced quote (data contract v2 §1: a malformed_row)."""


def _xlsx(path: Path, data: bytes) -> list[list[list]]:
    # read-only mode (a full load of the district's merged workbooks took most of the xlsx
    # time); the merged ranges, which read-only sheets do not carry, from each sheet's XML
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            xml = z.read(ws._worksheet_path.lstrip("/"))
            for ref in re.findall(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', xml):
                min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
                v = rows[min_row - 1][min_col - 1]
                for r in range(min_row - 1, max_row):
                    for c in range(min_col - 1, max_col):
                        rows[r][c] = v
            out.append(rows)
    wb.close()
    return out


def _biff(data: bytes) -> list[list[list]]:
    import fastexcel

    reader = fastexcel.read_excel(data)
    out = []
    for name in reader.sheet_names:
        frame = reader.load_sheet(name, header_row=None, dtypes="string").to_polars()
        rows = [[_iso(v) for v in r] for r in frame.iter_rows()]
        out.append(rows)
    return out


def _iso(v):
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", v):
        return datetime.fromisoformat(v)
    return v


def _html(text: str) -> list[list]:
    from html.parser import HTMLParser

    rows: list[list] = []

    class Parser(HTMLParser):
        cell: list | None = None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                rows.append([])
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                rows[-1].append("".join(self.cell) or None)
                self.cell = None

        def handle_data(self, d):
            if self.cell is not None:
                self.cell.append(d)

    Parser().feed(text)
    return rows


# every format character (category Cf) dropped, every other space (Zs) a plain space: one
# table for str.translate, built once from the categories (a per-character category() call
# over the district's two million cells took most of the read-back's time)
_CELL_CHARS = {cp: (None if cat == "Cf" else " ")
               for cp in range(sys.maxunicode + 1)
               if (cat := unicodedata.category(chr(cp))) in ("Cf", "Zs") and chr(cp) != " "}


def clean(v):
    """A cell as data contract v2 §1 reads it: format characters removed, odd spaces as
    spaces, export text markers ('…, ="…") removed."""
    if not isinstance(v, str):
        return v
    s = v.translate(_CELL_CHARS).strip()
    if s.startswith('="') and s.endswith('"'):
        s = s[2:-1]
    return s[1:] if s.startswith("'") else s


class Table:
    def __init__(self, path: Path, source: str):
        self.path = path
        src = SOURCES[source]
        sheets, self.encoding = read_sheets(path)
        names = {c.name: {norm(h) for h in c.headers} for c in src.columns}
        required = [c.name for c in src.required_columns]
        self.header_row = None
        self.columns = {}  # contract name -> position
        self.rows: list[dict] = []
        self.total: dict | None = None
        self.malformed: list[list] = []
        for rows in sheets:
            rows = [type(r)(clean(v) for v in r) for r in rows]
            header = None
            for i, row in enumerate(rows):
                cells = {norm(v) for v in row}
                if sum(1 for c in required if names[c] & cells) * 2 >= len(required):
                    header = i
                    break
            if header is None:
                continue  # a note sheet
            self.header_row = header if self.header_row is None else self.header_row
            top = list(rows[header])
            lower = rows[header + 1] if header + 1 < len(rows) else []
            for j in range(1, len(top)):  # a group cell stands over its group
                if top[j] is None and j < len(lower) and lower[j]:
                    top[j] = top[j - 1]
            grouped = {j: f"{top[j]}{lower[j]}" for j in range(min(len(top), len(lower)))
                       if top[j] and lower[j] and lower[j] != top[j]
                       and any(norm(f"{top[j]}{lower[j]}") in hs for hs in names.values())}
            for j, v in enumerate(rows[header]):
                for c, hs in names.items():
                    if norm(grouped.get(j, v)) in hs:
                        self.columns[c] = j
            for row in rows[header + 1 + bool(grouped):]:
                first = next((norm(v) for v in row if norm(v) != ""), None)
                if first is None:
                    continue
                if first.startswith(FOOTERS):
                    break
                rec = {c: (row[j] if j < len(row) else None) for c, j in self.columns.items()}
                if isinstance(row, Malformed):
                    self.malformed.append(row)
                elif first.startswith(TOTALS):
                    self.total = rec
                else:
                    self.rows.append(rec)
        assert self.header_row is not None, f"{path}: no header row"


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
